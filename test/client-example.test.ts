import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The typed client example (examples/client, README "A typed client"): its generated types are
 * what codegen makes of schema/public.graphql today, the example compiles against them, and a
 * misuse of them does not compile (so the types are real, not `any`).
 */
const TSC = require.resolve('typescript/bin/tsc');
const run = promisify(execFile);
const CLIENT_EXAMPLE_DIR = path.resolve(__dirname, '../examples/client');

/**
 * What codegen writes, from a plain node process: its plugins load an ES module (auto-bind),
 * which node requires and jest's module registry refuses.
 */
async function generateClientTypes(): Promise<{ file: string; content: string }[]> {
  const script = "require('./app/dist/codegen').generateClientTypes().then((o) => process.stdout.write(JSON.stringify(o)))";
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..'), maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

/** tsc's error codes and positions for a project, or [] when it compiles. */
async function typeErrors(project: string): Promise<string[]> {
  try {
    await run(process.execPath, [TSC, '-p', project], { cwd: path.dirname(project) });
    return [];
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? '';
    const errors = out.split('\n').filter((line) => /error TS\d+/.test(line));
    if (!errors.length) throw err;
    return errors.map((line) => line.replace(/^.*?\((\d+),\d+\): error (TS\d+).*$/, '$1 $2'));
  }
}

it('examples/client/generated is what codegen makes of schema/public.graphql (run `npm run codegen` when it differs)', async () => {
  const outputs = await generateClientTypes();
  expect(outputs.map((o) => path.relative(CLIENT_EXAMPLE_DIR, o.file))).toEqual(['generated/graphql.ts']);
  for (const { file, content } of outputs) expect(readFileSync(file, 'utf8')).toBe(content);
});

it('the example compiles against the generated types', async () => {
  expect(await typeErrors(path.join(CLIENT_EXAMPLE_DIR, 'tsconfig.json'))).toEqual([]);
}, 60_000);

it('a misuse does not compile: a misspelt field, a missing variable, a status that does not exist', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cascade-client-'));
  try {
    const from = (file: string) => JSON.stringify(path.join(CLIENT_EXAMPLE_DIR, file));
    writeFileSync(
      path.join(dir, 'misuse.ts'),
      [
        `import { request } from ${from('example')};`,
        `import { AddSignaturesDocument, MyCampaignsDocument } from ${from('generated/graphql')};`,
        'export async function misuse(url: string, token: string) {',
        '  const page = await request(url, MyCampaignsDocument, { first: 5 }, token);',
        '  const title: string = page.campaigns.edges[0].node.titel;',
        "  await request(url, AddSignaturesDocument, { activityId: '1' }, token);",
        "  return page.campaigns.edges[0].node.status === 'FINISHED' || title;",
        '}',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(CLIENT_EXAMPLE_DIR, 'tsconfig.json'), include: ['misuse.ts'] }));
    // line 5: titel (TS2551, "did you mean title"), line 6: `by` missing (TS2345), line 7: no FINISHED (TS2367)
    expect(await typeErrors(path.join(dir, 'tsconfig.json'))).toEqual(['5 TS2551', '6 TS2345', '7 TS2367']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
