import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { badInput } from '../errors/domain-error.js';
import { isUuid } from '../ids.js';

/**
 * Relay connections with keyset cursors. Ids are UUIDv7, so "after" is "id > cursor id" on an
 * index, never an OFFSET: page 1,000 costs what page 1 does.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  limit: number;
  afterId: string | null;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  if (first !== undefined && first !== null && (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)) {
    throw badInput('first', `first must be from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return { limit: first ?? DEFAULT_PAGE_SIZE, afterId: after ? decodeCursor(after) : null };
}

export function encodeCursor(id: string): string {
  return Buffer.from(`v1:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:(.{36})$/.exec(text);
  if (!match || !isUuid(match[1])) throw badInput(field, `${field} is not a cursor this API returned.`);
  return match[1];
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from up to limit+1 rows fetched in id order. */
export function toConnection<T extends { id: string }>(
  rows: T[],
  page: PageRequest,
  totalCount: number,
): Connection<T> {
  const hasNextPage = rows.length > page.limit;
  const nodes = hasNextPage ? rows.slice(0, page.limit) : rows;
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.id) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** GraphQL types `<Name>Connection` and `<Name>Edge` for a node type. */
export function connectionTypes<T>(node: Type<T>, name: string, withTotal = true) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node) node: T;
    @Field() cursor: string;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { nullable: !withTotal }) totalCount: number;
  }
  return ConnectionType;
}
