import { PUBLIC_SCHEMA_FILE } from '@cascade/app';
import { Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, FieldDefinitionNode, ObjectTypeDefinitionNode, parse, print, visit } from 'graphql';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * No breaking change to the public API (schema/public.graphql) against the previous commit:
 * a field, type, argument or enum value removed, a type changed, an argument made required.
 * Additions pass. The previous commit is HEAD's parent when the checked-in file is HEAD's (CI,
 * on a clean clone), and HEAD while the file has uncommitted changes (a developer's tree).
 * A breaking change made on purpose passes only in a commit whose message has a line
 * `Schema-Breaking: <why>`, so the break is named in the history where clients will look.
 */
const ROOT = path.resolve(PUBLIC_SCHEMA_FILE, '../..');
const FILE = path.relative(ROOT, PUBLIC_SCHEMA_FILE);

interface Verdict {
  /** The commit compared with, or null when there is none (`note` says why). */
  base: string | null;
  note?: string;
  breaking: Change[];
  /** The `Schema-Breaking:` reason of the commit that made the change, if it gives one. */
  allowedBy: string | null;
}

/** The check CI runs: `file` in the checkout at `root` against the previous commit's. */
async function againstPreviousCommit(root: string, file: string): Promise<Verdict> {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      return null;
    }
  };
  if (git('rev-parse', '--is-inside-work-tree')?.trim() !== 'true') return { base: null, note: 'not a git checkout', breaking: [], allowedBy: null };
  const now = readFileSync(path.join(root, file), 'utf8');
  const uncommitted = git('show', `HEAD:${file}`) !== now;
  const base = uncommitted ? 'HEAD' : 'HEAD~1';
  const previous = git('show', `${base}:${file}`);
  if (previous === null) return { base: null, note: `${base} has no ${file} (the first commit with it, or a shallow clone)`, breaking: [], allowedBy: null };
  const allowedBy = uncommitted ? null : breakingAllowedBy(git('log', '-1', '--format=%B', 'HEAD') ?? '');
  return { base, breaking: await breakingChanges(previous, now), allowedBy };
}

async function breakingChanges(before: string, after: string): Promise<Change[]> {
  const changes = await diff(buildSchema(before), buildSchema(after));
  return changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
}

/** The reason given in a commit message's `Schema-Breaking:` line, or null. */
function breakingAllowedBy(message: string): string | null {
  return /^Schema-Breaking:[ \t]*(\S.*)$/m.exec(message)?.[1].trim() ?? null;
}

/** A copy of an SDL without one field: the planted break. */
function withoutField(sdl: string, type: string, field: string): string {
  let removed = false;
  const edited = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      const fields = node.fields?.filter((f: FieldDefinitionNode) => f.name.value !== field);
      removed = fields?.length !== node.fields?.length;
      return { ...node, fields };
    },
  });
  if (!removed) throw new Error(`${type}.${field} is not in the schema`);
  return print(edited);
}

const current = readFileSync(PUBLIC_SCHEMA_FILE, 'utf8');

it('schema/public.graphql has no breaking change against the previous commit', async () => {
  const verdict = await againstPreviousCommit(ROOT, FILE);
  if (verdict.base === null) return void process.stdout.write(`public schema not compared: ${verdict.note}\n`);
  if (verdict.breaking.length && verdict.allowedBy) {
    process.stdout.write(`breaking changes to the public schema, allowed by the commit (Schema-Breaking: ${verdict.allowedBy}):\n${verdict.breaking.map((c) => `- ${c.message}`).join('\n')}\n`);
    return;
  }
  expect(verdict.breaking.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
});

describe('the breaking-change check (on modified copies of the schema, never the real one)', () => {
  it('catches a removed field', async () => {
    const breaking = await breakingChanges(current, withoutField(current, 'Tenant', 'name'));
    expect(breaking.map((c) => [c.type, c.path])).toEqual([['FIELD_REMOVED', 'Tenant.name']]);
  });

  it('catches a removed root field, a type changed and an argument made required', async () => {
    const changed = withoutField(current, 'Query', 'me')
      .replace(/^(\s+)endCursor: String$/m, '$1endCursor: Int')
      .replace(/rollup\(campaignId: ID, tenantId: ID!\)/, 'rollup(campaignId: ID!, tenantId: ID!)');
    const types = (await breakingChanges(current, changed)).map((c) => `${c.type} ${c.path}`).sort();
    expect(types).toEqual(['FIELD_ARGUMENT_TYPE_CHANGED Query.rollup.campaignId', 'FIELD_REMOVED Query.me', 'FIELD_TYPE_CHANGED PageInfo.endCursor']);
  });

  it('lets additions pass: a new type, a new field, a new optional argument', async () => {
    const added = print(
      visit(parse(current), {
        ObjectTypeDefinition(node) {
          if (node.name.value !== 'Tenant') return undefined;
          const extra = parse('type X { motto(lang: String): String }').definitions[0] as ObjectTypeDefinitionNode;
          return { ...node, fields: [...(node.fields ?? []), ...(extra.fields ?? [])] };
        },
      }),
    ) + '\ntype Banner { id: ID! }\n';
    expect(await breakingChanges(current, added)).toEqual([]);
    expect(await breakingChanges(current, current)).toEqual([]);
  });

  it('in a repository: the previous commit, or HEAD while the file has uncommitted changes; a trailer allows a committed break only', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'cascade-schema-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@cascade.test', ...args], { cwd: repo, stdio: 'ignore' });
    const write = (sdl: string) => writeFileSync(path.join(repo, 'public.graphql'), sdl);
    const removed = (v: Verdict) => v.breaking.map((c) => c.path);
    try {
      git('init', '-q');
      write(current);
      git('add', '.');
      git('commit', '-qm', 'first');
      expect(await againstPreviousCommit(repo, 'public.graphql')).toMatchObject({ base: null, breaking: [] });
      write(withoutField(current, 'Tenant', 'name'));
      expect(removed(await againstPreviousCommit(repo, 'public.graphql'))).toEqual(['Tenant.name']); // uncommitted: against HEAD
      git('commit', '-qam', 'remove Tenant.name');
      expect(await againstPreviousCommit(repo, 'public.graphql')).toMatchObject({ base: 'HEAD~1', allowedBy: null });
      git('commit', '-q', '--amend', '-m', 'remove Tenant.name\n\nSchema-Breaking: every client reads Tenant.title now');
      const allowed = await againstPreviousCommit(repo, 'public.graphql');
      expect([removed(allowed), allowed.allowedBy]).toEqual([['Tenant.name'], 'every client reads Tenant.title now']);
      const withoutCode = withoutField(withoutField(current, 'Tenant', 'name'), 'Tenant', 'code');
      write(withoutCode);
      const next = await againstPreviousCommit(repo, 'public.graphql'); // HEAD's trailer is not this change's
      expect([next.base, removed(next), next.allowedBy]).toEqual(['HEAD', ['Tenant.code'], null]);
      write(withoutCode.replace('type Tenant {', 'type Tenant {\n  motto: String'));
      expect(removed(await againstPreviousCommit(repo, 'public.graphql'))).toEqual(['Tenant.code']); // an addition beside it changes nothing
      write(current.replace('type Tenant {', 'type Tenant {\n  motto: String'));
      expect(removed(await againstPreviousCommit(repo, 'public.graphql'))).toEqual([]); // only additions against HEAD
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('a commit allows a break only with a `Schema-Breaking:` line naming why', () => {
    expect(breakingAllowedBy('Remove Tenant.code\n\nSchema-Breaking: replaced by Tenant.codes since 2024-05, no client reads it\n')).toBe('replaced by Tenant.codes since 2024-05, no client reads it');
    expect(breakingAllowedBy('Remove Tenant.code\n\nSchema-Breaking:\n')).toBeNull();
    expect(breakingAllowedBy('mentions Schema-Breaking: in passing')).toBeNull();
  });
});
