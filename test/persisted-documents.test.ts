import { PersistedDocuments, persistedQueryProblem } from '@cascade/gateway';

/** The gateway's store of persisted query texts: least recently used out first, bounded by count and bytes. */
const hash = (i: number) => i.toString(16).padStart(64, '0');

it('keeps at most maxDocuments, forgetting the least recently used', () => {
  const store = new PersistedDocuments({ maxDocuments: 3, maxBytes: 1_000_000 });
  for (let i = 1; i <= 3; i++) store.set(hash(i), `{ a${i} }`);
  expect(store.get(hash(1))).toBe('{ a1 }'); // used: now the newest
  store.set(hash(4), '{ a4 }');
  expect(store.size).toBe(3);
  expect(store.get(hash(2))).toBeNull();
  expect([1, 3, 4].map((i) => store.get(hash(i)))).toEqual(['{ a1 }', '{ a3 }', '{ a4 }']);
});

it('keeps at most maxBytes of text (UTF-8), forgetting the least recently used', () => {
  const store = new PersistedDocuments({ maxDocuments: 100, maxBytes: 30 });
  store.set(hash(1), 'x'.repeat(10));
  store.set(hash(2), '知'.repeat(4)); // 12 bytes
  store.set(hash(3), 'y'.repeat(10)); // 32 bytes in all: the oldest goes
  expect(store.get(hash(1))).toBeNull();
  expect(store.bytes).toBe(22);
  expect(store.size).toBe(2);
});

it('never keeps a text larger than the whole store (it would evict everything)', () => {
  const store = new PersistedDocuments({ maxDocuments: 100, maxBytes: 30 });
  store.set(hash(1), 'x'.repeat(10));
  store.set(hash(2), 'z'.repeat(31));
  expect(store.get(hash(2))).toBeNull();
  expect(store.get(hash(1))).toBe('x'.repeat(10));
});

it('setting a hash again replaces its text and its bytes', () => {
  const store = new PersistedDocuments({ maxDocuments: 100, maxBytes: 100 });
  store.set(hash(1), 'x'.repeat(10));
  store.set(hash(1), 'x'.repeat(20));
  expect(store.size).toBe(1);
  expect(store.bytes).toBe(20);
});

it('a flood stays within both bounds', () => {
  const store = new PersistedDocuments({ maxDocuments: 50, maxBytes: 4096 });
  for (let i = 0; i < 10_000; i++) store.set(hash(i), `query Q${i} { __typename }`.padEnd(10 + (i % 300), ' '));
  expect(store.size).toBeLessThanOrEqual(50);
  expect(store.bytes).toBeLessThanOrEqual(4096);
  expect(store.get(hash(9999))).not.toBeNull();
});

it.each([
  [undefined, null],
  [{}, null],
  [{ other: 1 }, null],
  [{ persistedQuery: { version: 1, sha256Hash: hash(1) } }, null],
  [{ persistedQuery: { version: 1, sha256Hash: hash(1).toUpperCase().replace(/0/g, 'A') } }, 'BAD_REQUEST'],
  [{ persistedQuery: { version: 2, sha256Hash: hash(1) } }, 'BAD_REQUEST'],
  [{ persistedQuery: null }, 'BAD_REQUEST'],
  [{ persistedQuery: [] }, 'BAD_REQUEST'],
])('extensions %j: %s', (extensions, code) => {
  expect(persistedQueryProblem(extensions)?.extensions.code ?? null).toBe(code);
});
