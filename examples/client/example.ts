import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { AddSignaturesDocument, MyCampaignsDocument, type MyCampaignsQuery, SignInDocument } from './generated/graphql';

/**
 * A typed client for Cascade in a few lines: each document generated from operations.graphql
 * carries its result and variables types, so a wrong field, a missing variable or a misspelt
 * enum value is a compile error. Any client that takes a TypedDocumentNode (urql, Apollo Client,
 * graphql-request) works the same way.
 */
export async function request<Result, Variables>(url: string, document: TypedDocumentNode<Result, Variables>, variables: Variables, token?: string): Promise<Result> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: Result; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return body.data as Result;
}

/** Signs in, lists the caller's campaigns page by page, and adds signatures to an activity. */
export async function example(url: string, email: string, password: string, activityId?: string): Promise<string[]> {
  const { signIn } = await request(url, SignInDocument, { email, password });
  const titles: string[] = [];
  let after: string | null | undefined = null;
  do {
    const page: MyCampaignsQuery = await request(url, MyCampaignsDocument, { first: 20, after }, signIn.token);
    for (const { node } of page.campaigns.edges) titles.push(`${page.me.tenant.name}: ${node.title} (${node.status}, ${node.startsOn})`);
    after = page.campaigns.pageInfo.hasNextPage ? page.campaigns.pageInfo.endCursor : undefined;
  } while (after);
  if (activityId) {
    const { incrementStatistic } = await request(url, AddSignaturesDocument, { activityId, by: 37, key: `example-${Date.now()}` }, signIn.token);
    titles.push(`signatures now ${incrementStatistic.value}${incrementStatistic.approximate ? '余' : ''}`);
  }
  return titles;
}
