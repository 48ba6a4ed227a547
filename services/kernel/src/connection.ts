import { ClassType, Directive, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from './errors';
import { toId } from './input-guard';

/** Relay connections: `first` 1–100 (default 20), `after` an opaque cursor over the id. */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** Shared by every subgraph's connections (API.md "Lists"): built by pageInfoOf only. */
@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;

  @Field({ description: 'Paging forward (first/after), true when the page starts after a cursor' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;
}

/** The page info of a forward page: its edges' first and last cursors, and whether it began after one. */
export function pageInfoOf(edges: { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null, hasPreviousPage: !!after, startCursor: edges[0]?.cursor ?? null };
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node)
    node: T;

    @Field()
    cursor: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount: number;
  }
  return ConnectionClass;
}

export function encodeCursor(id: number): string {
  return Buffer.from(`c:${id}`).toString('base64url');
}

/** The id a cursor points after; a cursor that is not one of ours, or out of range, is BAD_USER_INPUT. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('c:') ? toId(text.slice(2)) : null;
  if (id === null) throw badInput('Invalid cursor', 'after');
  return id;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE}`, 'first');
  }
  return first;
}
