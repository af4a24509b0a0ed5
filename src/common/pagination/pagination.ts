import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { badInput } from '../errors/domain-error.js';
import { isUuid } from '../ids.js';
import type { SqlCondition } from '../sql/sql-condition.js';
import { readQuery } from '../../database/read-routing.js';

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

/**
 * A keyset page of a query builder's rows (in id order, or newest first with DESC): up to
 * limit+1 rows (toConnection tells from the extra one whether there is a next page), and how many
 * rows match in all. The one way every list of the API pages.
 */
export async function pageOfQuery<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  page: PageRequest,
  order: 'ASC' | 'DESC' = 'ASC',
): Promise<{ rows: T[]; count: number }> {
  const count = await query.clone().getCount();
  if (page.afterId) query.andWhere(`${alias}.id ${order === 'ASC' ? '>' : '<'} :afterId`, { afterId: page.afterId });
  const rows = await query
    .orderBy(`${alias}.id`, order)
    .limit(page.limit + 1)
    .getMany();
  return { rows, count };
}

/** The conditions of a list written in SQL, their parameters numbered in the order they are added. */
export class SqlConditions {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Starts from an access rule's condition, whose parameters it numbered from $1. */
  constructor(first: SqlCondition) {
    this.conditions.push(first.sql);
    this.params.push(...first.params);
  }

  /** A parameter's placeholder ($n) for a value. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  add(condition: string): void {
    this.conditions.push(condition);
  }

  /** Another access rule's condition, its parameters numbered after those already here. */
  rule(build: (paramIndex: number) => SqlCondition): void {
    const condition = build(this.params.length + 1);
    this.params.push(...condition.params);
    this.conditions.push(condition.sql);
  }
}

/** pageOfQuery for a list written in SQL: the page's ids (limit+1 at most) in id order, and how many rows match. */
export async function pageOfIds(
  em: EntityManager,
  from: { table: string; alias: string },
  where: SqlConditions,
  page: PageRequest,
): Promise<{ ids: string[]; count: number }> {
  const { table, alias } = from;
  const [{ count }]: { count: number }[] = await readQuery(
    em,
    `SELECT count(*)::int AS count FROM ${table} ${alias} WHERE ${where.conditions.join(' AND ')}`,
    where.params,
  );
  const params = [...where.params];
  const conditions = page.afterId
    ? [...where.conditions, `${alias}.id > $${params.push(page.afterId)}`]
    : where.conditions;
  const rows: { id: string }[] = await readQuery(
    em,
    `SELECT ${alias}.id FROM ${table} ${alias} WHERE ${conditions.join(' AND ')} ORDER BY ${alias}.id LIMIT $${params.push(page.limit + 1)}`,
    params,
  );
  return { ids: rows.map((r) => r.id), count };
}
