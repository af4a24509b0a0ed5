import { DomainError } from '../errors/domain-error.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  pageRequest,
  toConnection,
} from './pagination.js';

const ID_1 = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51';
const ID_2 = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e52';
const ID_3 = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e53';

/** The DomainError a call throws, or a failure when it throws nothing or something else. */
function thrownBy(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

describe('cursors', () => {
  it('a cursor decodes back to the id it was made from', () => {
    for (const id of [ID_1, ID_2, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-7fff-bfff-ffffffffffff']) {
      expect(decodeCursor(encodeCursor(id))).toBe(id);
    }
  });

  it('a cursor is opaque URL-safe text, not the bare id', () => {
    const cursor = encodeCursor(ID_1);
    expect(cursor).not.toContain(ID_1);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['plain garbage', 'garbage'],
    ['the empty string', ''],
    ['a bare id', ID_1],
    ['base64 of a bare id without the version prefix', Buffer.from(ID_1).toString('base64url')],
    ['a cursor of another version', Buffer.from(`v2:${ID_1}`).toString('base64url')],
    ['a cursor whose id is too short', Buffer.from('v1:01936f3e-8a2b').toString('base64url')],
    [
      'a cursor whose id has non-hex characters',
      Buffer.from('v1:0193zz3e-8a2b-7c4d-9e5f-0a1b2c3d4e51').toString('base64url'),
    ],
    ['a cursor with text after the id', Buffer.from(`v1:${ID_1};DROP TABLE units`).toString('base64url')],
  ])('a cursor this API did not return (%s) is a BAD_USER_INPUT DomainError on field "after"', (_what, cursor) => {
    const error = thrownBy(() => decodeCursor(cursor));
    expect(error.category).toBe('BAD_USER_INPUT');
    expect(error.details.field).toBe('after');
    expect(error.details.errorCode).toBe('VALIDATION_ERROR');
    expect(error.httpStatus).toBe(400);
  });

  it('a cursor whose "id" is 36 hyphens is not a cursor this API returned (it is no UUID)', () => {
    // it would otherwise reach PostgreSQL as `id > '------…'` and fail there as an invalid uuid
    const error = thrownBy(() => decodeCursor(Buffer.from(`v1:${'-'.repeat(36)}`).toString('base64url')));
    expect(error.details.field).toBe('after');
  });

  it('a garbage cursor names the field it came in', () => {
    expect(thrownBy(() => decodeCursor('garbage', 'before')).details.field).toBe('before');
  });
});

describe('pageRequest', () => {
  it(`without first the page size is the default, ${DEFAULT_PAGE_SIZE}`, () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageRequest(undefined, undefined)).toEqual({ limit: 20, afterId: null });
    expect(pageRequest(null, null)).toEqual({ limit: 20, afterId: null });
  });

  it.each([1, 50, MAX_PAGE_SIZE])('first = %i is accepted as the page size', (first) => {
    expect(pageRequest(first, null).limit).toBe(first);
  });

  it.each([
    ['zero', 0],
    ['a negative number', -1],
    ['more than the maximum of 100', 101],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
  ])('first as %s is refused with a DomainError on field "first"', (_what, first) => {
    const error = thrownBy(() => pageRequest(first, null));
    expect(error.category).toBe('BAD_USER_INPUT');
    expect(error.details.field).toBe('first');
  });

  it('after is decoded to the id to continue from', () => {
    expect(pageRequest(10, encodeCursor(ID_2))).toEqual({ limit: 10, afterId: ID_2 });
  });

  it('a garbage after is refused on field "after"', () => {
    expect(thrownBy(() => pageRequest(10, 'garbage')).details.field).toBe('after');
  });

  it('an empty after means the first page', () => {
    expect(pageRequest(10, '').afterId).toBeNull();
  });
});

describe('toConnection: built from up to limit + 1 rows', () => {
  const rows = [{ id: ID_1 }, { id: ID_2 }, { id: ID_3 }];

  it('limit + 1 rows mean there is a next page; the extra row is not an edge and the end cursor is the last edge', () => {
    const connection = toConnection(rows, { limit: 2, afterId: null }, 7);
    expect(connection.edges.map((e) => e.node.id)).toEqual([ID_1, ID_2]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(ID_2) });
    expect(connection.totalCount).toBe(7);
  });

  it('exactly limit rows mean this is the last page', () => {
    const connection = toConnection(rows, { limit: 3, afterId: null }, 3);
    expect(connection.edges).toHaveLength(3);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(ID_3) });
  });

  it('fewer rows than the limit mean this is the last page', () => {
    const connection = toConnection(rows.slice(0, 1), { limit: 20, afterId: null }, 1);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(ID_1) });
  });

  it('no rows: no edges, no next page, no end cursor', () => {
    expect(toConnection([], { limit: 20, afterId: null }, 0)).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
    });
  });

  it('every edge carries the cursor of its node, which decodes back to its id', () => {
    const connection = toConnection(rows, { limit: 3, afterId: null }, 3);
    for (const edge of connection.edges) expect(decodeCursor(edge.cursor)).toBe(edge.node.id);
  });

  it('the end cursor continues from the last edge on the next page request', () => {
    const first = toConnection(rows, { limit: 2, afterId: null }, 3);
    expect(pageRequest(2, first.pageInfo.endCursor).afterId).toBe(ID_2);
  });
});
