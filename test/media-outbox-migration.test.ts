import { openDatabase, parseConfig } from '@cascade/kernel';
import { mediaModule } from '@cascade/media';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import * as mysql from 'mysql2/promise';
import { testDatabaseUrl } from './helpers/platform';

/**
 * Upgrading media to the outbox loses no event: distributions whose event had not gone out
 * (published_at null, linked to an activity) become unsent outbox rows with the payload
 * recordDistribution writes; published ones and unlinked ones do not. `down` gives back
 * published_at (null again for what the outbox had not sent). SQLite, or MariaDB with DATABASE_URL.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-media-outbox-'));
const databaseUrl = testDatabaseUrl('mediaoutbox');
const config = parseConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const mediaMigrations = mediaModule.migrations as Function[];
const before = mediaMigrations.slice(0, -1);
let ds: DataSource | undefined;

afterAll(async () => {
  await ds?.destroy();
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    await conn.query(`DROP DATABASE IF EXISTS \`${url.pathname.slice(1)}_media\``);
    await conn.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

it('moves unpublished distribution events into the outbox, and back on down', async () => {
  expect(mediaMigrations.at(-1)!.name).toMatch(/^MediaOutbox/);
  const old = await openDatabase({ service: 'media', entities: [], migrations: before, config });
  const insert = (eventId: string, activityId: number | null, published: boolean) =>
    old.query(
      `INSERT INTO asset_distributions (tenant_id, tenant_path, event_id, asset_id, activity_id, quantity, user_id, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ${published ? 'CURRENT_TIMESTAMP' : 'NULL'})`,
      [8, '/1/8/', eventId, 3, activityId, 250, '12'],
    );
  await insert('pending-1', 5, false);
  await insert('published-1', 5, true);
  await insert('unlinked-1', null, false);
  await old.destroy();

  ds = await openDatabase({ service: 'media', entities: [], migrations: mediaMigrations, config });
  const rows: { topic: string; event_id: string; payload: string; sent_at: unknown; tenant_id: number; tenant_path: string }[] = await ds.query('SELECT * FROM outbox_events');
  expect(rows.map((r) => ({ ...r, payload: JSON.parse(r.payload), tenant_id: Number(r.tenant_id) }))).toEqual([
    expect.objectContaining({
      topic: 'distribution.recorded',
      event_id: 'pending-1',
      sent_at: null,
      tenant_id: 8,
      tenant_path: '/1/8/',
      payload: { eventId: 'pending-1', assetId: 3, activityId: 5, quantity: 250, tenantId: 8, tenantPath: '/1/8/', userId: '12' },
    }),
  ]);
  expect((await ds.query('SELECT * FROM asset_distributions'))[0]).not.toHaveProperty('published_at');

  await ds.undoLastMigration();
  const back: { event_id: string; published_at: unknown }[] = await ds.query('SELECT event_id, published_at FROM asset_distributions ORDER BY id');
  expect(back.map((r) => [r.event_id, r.published_at === null])).toEqual([
    ['pending-1', true],
    ['published-1', false],
    ['unlinked-1', false],
  ]);
});
