import { serviceModules } from '@cascade/app';
import { Claims, ScopedData, Scope, TenantOwned } from '@cascade/kernel';
import { Unit } from '@cascade/org';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startTestPlatform, TestPlatform } from './helpers/platform';

/**
 * Every entity is tenant-scoped: each entity class of each service is TenantOwned with
 * indexed tenant_id/tenant_path columns; the one scoped data layer enforces the rules for
 * every read and write operation it offers; and no service code reaches the database
 * without it.
 */
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform('scoping');
});
afterAll(async () => {
  await t?.stop();
});

const allEntities = serviceModules.flatMap((m) => (m.entities as Function[]).map((entity) => ({ service: m.name, entity })));

describe('every entity class', () => {
  it.each(allEntities.map((e) => [`${e.service}.${e.entity.name}`, e] as const))('%s is tenant-owned with indexed tenant columns', (_name, { service, entity }) => {
    expect(entity.prototype).toBeInstanceOf(TenantOwned);
    const ds = t.platform.services.find((s) => s.name === service)!.dataSource;
    const meta = ds.getMetadata(entity);
    const columns = meta.columns.map((c) => c.databaseName);
    expect(columns).toEqual(expect.arrayContaining(['tenant_id', 'tenant_path']));
    const indexed = meta.indices.flatMap((i) => i.columns.map((c) => c.databaseName));
    expect(indexed).toEqual(expect.arrayContaining(['tenant_id', 'tenant_path']));
  });

  it('scoped data access refuses a class that is not tenant-owned', () => {
    class Loose {}
    const data = ScopedData.forRequest(t.platform.services[0].dataSource, new Scope(claims(1, '/1/')));
    expect(() => data.repo(Loose as any)).toThrow(/not tenant-owned/);
  });
});

function claims(tenantId: number, tenantPath: string, role: Claims['role'] = 'ADMIN'): Claims {
  return { userId: '1', tenantId: String(tenantId), tenantPath, role, root: false };
}

describe('the scoped data layer, operation by operation', () => {
  // synthetic tenants: 9001 with child 9002, and sibling 9003
  const parent = () => ScopedData.forRequest(ds(), new Scope(claims(9001, '/9001/')));
  const child = () => ScopedData.forRequest(ds(), new Scope(claims(9002, '/9001/9002/')));
  const sibling = () => ScopedData.forRequest(ds(), new Scope(claims(9003, '/9003/')));
  const root = () => ScopedData.forRequest(ds(), new Scope({ userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN', root: true }));
  const anonymous = () => ScopedData.forRequest(ds(), new Scope({ userId: null, tenantId: null, tenantPath: null, role: null, root: false }));
  const ds = (): DataSource => t.platform.services[0].dataSource;
  let parentUnit: Unit;
  let childUnit: Unit;

  beforeAll(async () => {
    parentUnit = await parent().repo(Unit).insert({ name: 'P' });
    childUnit = await child().repo(Unit).insert({ name: 'C' });
    await sibling().repo(Unit).insert({ name: 'S' });
  });

  it('insert writes into the caller’s own tenant', () => {
    expect(parentUnit).toMatchObject({ tenantId: 9001, tenantPath: '/9001/' });
    expect(childUnit).toMatchObject({ tenantId: 9002, tenantPath: '/9001/9002/' });
  });

  it('reads see own and descendant rows, never a sibling’s or an ancestor’s', async () => {
    const names = async (d: ScopedData) => (await d.repo(Unit).find()).map((u) => u.name).sort();
    expect(await names(parent())).toEqual(['C', 'P']);
    expect(await names(child())).toEqual(['C']);
    expect(await names(sibling())).toEqual(['S']);
    expect(await child().repo(Unit).findById(parentUnit.id)).toBeNull();
    expect(await sibling().repo(Unit).findById(childUnit.id)).toBeNull();
    expect(await parent().repo(Unit).findById(childUnit.id)).not.toBeNull();
    expect(await sibling().repo(Unit).count()).toBe(1);
    expect((await sibling().repo(Unit).page({ first: 100 })).edges.map((e) => e.node.name)).toEqual(['S']);
    expect((await sibling().repo(Unit).findGrouped('tenantId', [9001, 9002, 9003])).map((g) => g.length)).toEqual([0, 0, 1]);
    expect(await sibling().repo(Unit).query('u').getCount()).toBe(1);
    expect(await child().repo(Unit).findInLineage()).toEqual([expect.objectContaining({ name: 'P' })]);
    expect(await sibling().repo(Unit).findInLineage()).toEqual([]);
  });

  it('root reads no tenant data outside the org tree; anonymous reads nothing', async () => {
    expect(await root().repo(Unit).find()).toEqual([]);
    expect(await root().repo(Unit).findById(parentUnit.id)).toBeNull();
    await expect(anonymous().repo(Unit).find()).rejects.toThrow(/Sign in/);
  });

  it('update and delete touch the own tenant only: a descendant row is FORBIDDEN, an invisible one NOT_FOUND', async () => {
    await expect(parent().repo(Unit).update(childUnit.id, { name: 'X' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(sibling().repo(Unit).update(childUnit.id, { name: 'X' })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(child().repo(Unit).update(parentUnit.id, { name: 'X' })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(sibling().repo(Unit).delete(parentUnit.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const moved = await child().repo(Unit).update(childUnit.id, { name: 'C2', tenantId: 9003, tenantPath: '/9003/' } as any);
    expect(moved).toMatchObject({ name: 'C2', tenantId: 9002, tenantPath: '/9001/9002/' });
    await child().repo(Unit).delete(childUnit.id);
    expect(await parent().repo(Unit).findById(childUnit.id)).toBeNull();
  });

  it('insertInto places a row in a descendant for an ADMIN only, never in a sibling', async () => {
    const target = { tenantId: 9002, tenantPath: '/9001/9002/' };
    expect(await parent().repo(Unit).insertInto(target, { name: 'by parent' })).toMatchObject(target);
    await expect(sibling().repo(Unit).insertInto(target, { name: 'by sibling' })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const editor = ScopedData.forRequest(ds(), new Scope(claims(9001, '/9001/', 'EDITOR')));
    await expect(editor.repo(Unit).insertInto(target, { name: 'by editor' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('no service reaches the database around the scoped layer', () => {
  const servicesDir = path.resolve(__dirname, '../services');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts') && !full.includes(`${path.sep}migrations${path.sep}`)) files.push(full);
    }
  };
  for (const service of readdirSync(servicesDir)) {
    if (service !== 'kernel' && statSync(path.join(servicesDir, service)).isDirectory()) walk(path.join(servicesDir, service, 'src'));
  }

  it('finds service source files to check, in every registered service (reports included)', () => {
    expect(files.length).toBeGreaterThan(5);
    const walked = new Set(files.map((f) => path.relative(servicesDir, f).split(path.sep)[0]));
    for (const module of serviceModules) expect(walked).toContain(module.name);
    expect(walked).toContain('reports');
  });

  it('uses no repository, manager, query builder or raw query, except lines marked "unscoped:" with a reason', () => {
    const forbidden = /\b(getRepository|createQueryBuilder|getTreeRepository)\s*\(|\.manager\b|\.query\s*\(|\bnew DataSource\b/;
    const offenders: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        // the kernel's own query builder on a scoped repository is restricted to readable rows
        if (!forbidden.test(line.replace(/\.repo\(\w+\)\.query\(/g, '.repo().scopedQuery('))) return;
        const justified = /\/\/ unscoped: \S/.test(lines[i - 1] ?? '') || /\/\/ unscoped: \S/.test(line);
        if (!justified) offenders.push(`${path.relative(servicesDir, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
