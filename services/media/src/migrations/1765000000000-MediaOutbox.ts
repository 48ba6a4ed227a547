import { createOutboxTable } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Distribution events go through the transactional outbox (the kernel's outbox_events) instead
 * of a publish after the commit. Events that had not gone out yet (published_at null) move into
 * the outbox, so an upgrade loses none; published_at is then dropped (the outbox's sent_at says it).
 */
export class MediaOutbox1765000000000 implements MigrationInterface {
  name = 'MediaOutbox1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await createOutboxTable(q);
    // the payload as recordDistribution writes it (DistributionRecordedEvent)
    const mysql = q.connection.options.type === 'mysql';
    const json = mysql
      ? `JSON_OBJECT('eventId', event_id, 'assetId', asset_id, 'activityId', activity_id, 'quantity', quantity, 'tenantId', tenant_id, 'tenantPath', tenant_path, 'userId', user_id)`
      : `json_object('eventId', event_id, 'assetId', asset_id, 'activityId', activity_id, 'quantity', quantity, 'tenantId', tenant_id, 'tenantPath', tenant_path, 'userId', user_id)`;
    await q.query(
      `INSERT INTO outbox_events (tenant_id, tenant_path, topic, event_id, payload, sent_at)
       SELECT tenant_id, tenant_path, 'distribution.recorded', event_id, ${json}, NULL
       FROM asset_distributions WHERE published_at IS NULL AND activity_id IS NOT NULL ORDER BY id`,
    );
    await q.dropColumn('asset_distributions', 'published_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumn('asset_distributions', new TableColumn({ name: 'published_at', type: 'datetime', isNullable: true }));
    // what the outbox sent counts as published; what it still holds goes back to waiting
    await q.query(
      `UPDATE asset_distributions SET published_at = CURRENT_TIMESTAMP
       WHERE event_id NOT IN (SELECT event_id FROM outbox_events WHERE sent_at IS NULL)`,
    );
    await q.dropTable('outbox_events');
  }
}
