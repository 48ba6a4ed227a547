import {
  checkArguments,
  decodeCursor,
  encodeCursor,
  fetchEntities,
  guardResolvers,
  MAX_LIST_ITEMS,
  optionalText,
  requiredText,
  textFault,
  toId,
} from '@cascade/kernel';
import { buildSchema, graphql, GraphQLError } from 'graphql';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The kernel's input primitives on their own: the text rules, the id range, cursors, the
 * walker that checks a field's arguments against their GraphQL types, and internal calls
 * answered with something that is not GraphQL JSON.
 */

/** Each hostile value, alone and in the middle of ordinary text. */
const HOSTILE: [string, string][] = [
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['an ANSI escape', '\u001b[31m'],
  ['DEL', '\u007f'],
  ['NEL (C1)', '\u0085'],
  ['a C1 control', '\u009b'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00x'],
  ['surrogates in the wrong order', '\udc00\ud800'],
  ['LRE', '\u202a'],
  ['RLO', '\u202e'],
  ['LRI', '\u2066'],
  ['PDI', '\u2069'],
];
const hostile = HOSTILE.flatMap(([label, value]) => [
  [label, value] as const,
  [`${label} in the middle`, `整规办${value}宣传周`] as const,
]);

const FRIENDLY = ['全国保护知识产权宣传周', '八师 🎉👍🏽 整规办', '、。“”《》—…（）！？', 'Ünïcödé café – “quoted” & <tags>', '👨‍👩‍👧 family'];

function fieldOf(error: unknown): string | undefined {
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
  return (error as GraphQLError).extensions.field as string | undefined;
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('textFault: what no text may hold', () => {
  it.each(hostile)('refuses %s', (_label, value) => {
    expect(textFault(value, { multiline: true })).toMatch(/control character|unpaired surrogate|bidirectional/);
    expect(textFault(value, { multiline: false })).not.toBeNull();
  });

  it.each(FRIENDLY)('accepts %p', (value) => {
    expect(textFault(value, { multiline: false })).toBeNull();
  });

  it('allows tab and newlines in long text only', () => {
    for (const value of ['a\tb', 'a\nb', 'a\r\nb']) {
      expect(textFault(value, { multiline: true })).toBeNull();
      expect(textFault(value, { multiline: false })).toMatch(/control character/);
    }
  });

  it('names the character it refuses', () => {
    expect(textFault('ab\u202ec', { multiline: true })).toContain('U+202E');
    expect(textFault('\u0000', { multiline: true })).toContain('U+0000');
  });
});

describe('requiredText / optionalText: short text by default, long text on request', () => {
  it('refuses hostile text and tab/newline in short text, naming the field', () => {
    for (const [, value] of hostile) expect(fieldOf(thrown(() => requiredText(value, 'name', 200)))).toBe('name');
    expect(fieldOf(thrown(() => requiredText('甲\n乙', 'name', 200)))).toBe('name');
    expect(fieldOf(thrown(() => optionalText('甲\t乙', 'title', 200)))).toBe('title');
  });

  it('keeps newlines in long text, and trims the ends', () => {
    expect(requiredText('  第一段\n第二段\t完\r\n', 'text', 2000, { multiline: true })).toBe('第一段\n第二段\t完');
    expect(fieldOf(thrown(() => requiredText('第一段\u0000', 'text', 2000, { multiline: true })))).toBe('text');
  });

  it('counts characters, not UTF-16 units: an emoji is one character', () => {
    expect(requiredText('🎉'.repeat(10), 'title', 10)).toBe('🎉'.repeat(10));
    expect(fieldOf(thrown(() => requiredText('🎉'.repeat(11), 'title', 10)))).toBe('title');
  });
});

describe('ids and cursors', () => {
  it('toId takes the ids a row can have, 1 to 2^31-1, and nothing else', () => {
    expect(toId('1')).toBe(1);
    expect(toId(2147483647)).toBe(2147483647);
    for (const bad of ['0', '-1', 'abc', '1e3', '01', ' 1', '1 OR 1=1', '2147483648', '9'.repeat(400), '', null, undefined]) {
      expect(toId(bad as string)).toBeNull();
    }
  });

  it('decodeCursor round-trips and refuses what is out of range, as BAD_USER_INPUT on after', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [cursor(`c:${'9'.repeat(400)}`), cursor('c:2147483648'), cursor('c:0'), cursor('c:-1'), cursor('c:1e3'), 'not a cursor', '']) {
      expect(fieldOf(thrown(() => decodeCursor(bad)))).toBe('after');
    }
  });
});

describe('checkArguments: the walker over a field’s arguments and their types', () => {
  const schema = buildSchema(`
    input Inner { label: String  ids: [ID!] }
    input Outer { title: String!  tags: [String!]  inner: Inner  nested: [[String]]  count: Int }
    type Query {
      thing(id: ID!, after: String, input: Outer, matrix: [[ID!]!]): String
    }
  `);
  const args = schema.getQueryType()!.getFields().thing.args;
  const check = (values: Record<string, unknown>) => checkArguments(values, args);

  it('passes ordinary values, Chinese and emoji included', () => {
    expect(() =>
      check({ id: '7', after: null, input: { title: FRIENDLY[1], tags: FRIENDLY, inner: { label: '、。', ids: ['1', '2147483647'] }, count: 5 } }),
    ).not.toThrow();
  });

  it('finds hostile text at any depth and names its path under the input', () => {
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'a\u0000' } })))).toBe('title');
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'ok', tags: ['ok', '\ud800'] } })))).toBe('tags[1]');
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'ok', inner: { label: '\u202e' } } })))).toBe('inner.label');
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'ok', nested: [['ok'], [null, '\u0085']] } })))).toBe('nested[1][1]');
    expect(fieldOf(thrown(() => check({ id: '1', after: '\u001b[31m' })))).toBe('after');
  });

  it('refuses ids out of range wherever an ID is typed', () => {
    for (const bad of ['0', '-1', 'abc', '1 OR 1=1', '1e3', '2147483648', '99999999999999999999']) {
      expect(fieldOf(thrown(() => check({ id: bad })))).toBe('id');
    }
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'x', inner: { ids: ['1', 'x'] } } })))).toBe('inner.ids[1]');
    expect(fieldOf(thrown(() => check({ id: '1', matrix: [['1'], ['2', '0']] })))).toBe('matrix[1][1]');
  });

  it(`refuses a list of more than ${MAX_LIST_ITEMS} items, at any depth`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    expect(() => check({ id: '1', input: { title: 'x', tags: many(MAX_LIST_ITEMS) } })).not.toThrow();
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'x', tags: many(MAX_LIST_ITEMS + 1) } })))).toBe('tags');
    expect(fieldOf(thrown(() => check({ id: '1', input: { title: 'x', inner: { ids: many(35_000) } } })))).toBe('inner.ids');
    expect(fieldOf(thrown(() => check({ id: '1', matrix: [many(1), many(101)] })))).toBe('matrix[1]');
  });

  it('guardResolvers wraps every field with arguments, queries and subscriptions alike, before its resolver runs', async () => {
    const sdl = buildSchema(`
      type Query { echo(text: String!): String  plain: String }
      type Subscription { ticks(id: ID!): String }
    `);
    const calls: string[] = [];
    const resolvers = guardResolvers(sdl, {
      Query: {
        echo: (_: unknown, a: { text: string }) => (calls.push('echo'), a.text),
        plain: () => 'plain',
      },
      Subscription: { ticks: { subscribe: () => (calls.push('subscribe'), null), resolve: (x: unknown) => x } },
    });
    const q = resolvers.Query as Record<string, Function>;
    expect(q.plain).toBeInstanceOf(Function);
    expect(q.echo(null, { text: '好🎉' }, {}, {})).toBe('好🎉');
    expect(fieldOf(thrown(() => q.echo(null, { text: '\u0000' }, {}, {})))).toBe('text');
    const s = (resolvers.Subscription as any).ticks;
    expect(fieldOf(thrown(() => s.subscribe(null, { id: 'x' }, {}, {})))).toBe('id');
    expect(calls).toEqual(['echo']);
    // and through graphql-js execution: the error is a field error with its code
    const run = await graphql({
      schema: sdl,
      source: '{ echo(text: "a\\u0007b") }',
      rootValue: { echo: (a: { text: string }) => (resolvers.Query as any).echo(null, a, {}, {}) },
    });
    expect(run.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('fetchEntities: an internal call answered with something else than GraphQL JSON', () => {
  let server: http.Server;
  let url: string;
  const answers: Record<string, (res: http.ServerResponse) => void> = {
    html413: (res) => {
      res.writeHead(413, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body><pre>PayloadTooLargeError: request entity too large</pre></body></html>');
    },
    html200: (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    },
    json500: (res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    },
    htmlLabelledJson: (res) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('<html>Bad Gateway</html>');
    },
    ok: (res) => {
      res.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
      res.end(JSON.stringify({ data: { _entities: [{ id: '1' }] } }));
    },
  };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => answers[req.url!.slice(1)](res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  const call = (path: string) =>
    fetchEntities({ url: `${url}/${path}`, secret: 'internal-secret-0123456789', claims: { userId: '1', tenantId: '1', tenantPath: '/1/', role: 'ADMIN', root: false } }, 'Unit', [1], 'id');

  it('says what it got: the status and the content type, never a JSON syntax error', async () => {
    await expect(call('html413')).rejects.toThrow(/Unit lookup failed: HTTP 413 text\/html/);
    await expect(call('html200')).rejects.toThrow(/Unit lookup failed: HTTP 200 text\/html/);
    await expect(call('json500')).rejects.toThrow(/Unit lookup failed: HTTP 500.*boom/);
    await expect(call('htmlLabelledJson')).rejects.toThrow(/Unit lookup failed: HTTP 502 application\/json that is not JSON/);
    await expect(call('ok')).resolves.toEqual([{ id: '1' }]);
  });
});
