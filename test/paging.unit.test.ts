import fc from 'fast-check';
import 'reflect-metadata'; // connection.ts declares PageInfo with type-graphql's decorators
// the modules themselves, not the kernel's index: a unit suite loads no database driver or server
import { decodeCursor, DEFAULT_PAGE, encodeCursor, MAX_PAGE, pageInfoOf, pageSize } from '../services/kernel/src/connection';
import { MAX_ID } from '../services/kernel/src/input-guard';
import { GraphQLError } from 'graphql';

/** Relay paging (API.md "Lists"): the kernel's cursors, page sizes and PageInfo, without a platform. */
function badInputOn(fn: () => unknown, field: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    return;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('cursors', () => {
  it('round-trip every row id, and are opaque (no plain id in them)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_ID }), (id) => {
        const cursor = encodeCursor(id);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(cursor).not.toContain(String(id));
        expect(decodeCursor(cursor)).toBe(id);
      }),
    );
  });

  it('anything that is not one of ours, or out of range, is BAD_USER_INPUT on `after`', () => {
    const ours = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of ['', 'not-a-cursor', ours('c:0'), ours('c:-1'), ours('c:01'), ours(`c:${MAX_ID + 1}`), ours('c:1.5'), ours('x:1'), ours('c:')]) {
      badInputOn(() => decodeCursor(bad), 'after');
    }
  });

  it('any string either decodes to an id in range or is refused, never thrown otherwise', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const id = decodeCursor(text);
          expect(Number.isInteger(id) && id >= 1 && id <= MAX_ID).toBe(true);
        } catch (err) {
          expect((err as GraphQLError).extensions?.code).toBe('BAD_USER_INPUT');
        }
      }),
    );
  });
});

describe('page sizes', () => {
  it(`default ${DEFAULT_PAGE}, 1 to ${MAX_PAGE} as asked, anything else BAD_USER_INPUT on \`first\``, () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE);
    expect(pageSize(null)).toBe(DEFAULT_PAGE);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(MAX_PAGE)).toBe(MAX_PAGE);
    for (const bad of [0, -1, MAX_PAGE + 1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) badInputOn(() => pageSize(bad), 'first');
  });
});

describe('pageInfoOf', () => {
  const edges = [{ cursor: 'a' }, { cursor: 'b' }, { cursor: 'c' }];

  it('a first page: no previous page, start and end cursors of its edges', () => {
    expect(pageInfoOf(edges, true, undefined)).toEqual({ hasNextPage: true, endCursor: 'c', hasPreviousPage: false, startCursor: 'a' });
    expect(pageInfoOf(edges, false, null)).toEqual({ hasNextPage: false, endCursor: 'c', hasPreviousPage: false, startCursor: 'a' });
  });

  it('a page after a cursor has a previous page', () => {
    expect(pageInfoOf(edges.slice(1), false, 'a')).toEqual({ hasNextPage: false, endCursor: 'c', hasPreviousPage: true, startCursor: 'b' });
  });

  it('an empty page has no cursors; after a cursor it still has a previous page', () => {
    expect(pageInfoOf([], false, undefined)).toEqual({ hasNextPage: false, endCursor: null, hasPreviousPage: false, startCursor: null });
    expect(pageInfoOf([], false, 'c')).toEqual({ hasNextPage: false, endCursor: null, hasPreviousPage: true, startCursor: null });
  });

  it('walking pages of any list with its cursors visits every item once, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (ids, size) => {
        const sorted = [...ids].sort((a, b) => a - b);
        // the kernel's paging as ScopedData.page does it: rows after the cursor's id, one more than asked
        const page = (after: string | null) => {
          const from = after ? decodeCursor(after) : 0;
          const rows = sorted.filter((id) => id > from).slice(0, size + 1);
          const shown = rows.slice(0, size).map((id) => ({ node: id, cursor: encodeCursor(id) }));
          return { edges: shown, pageInfo: pageInfoOf(shown, rows.length > size, after) };
        };
        const seen: number[] = [];
        let after: string | null = null;
        for (let i = 0; i <= sorted.length; i++) {
          const p = page(after);
          seen.push(...p.edges.map((e) => e.node));
          expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
          if (!p.pageInfo.hasNextPage) break;
          after = p.pageInfo.endCursor;
        }
        expect(seen).toEqual(sorted);
      }),
    );
  });
});
