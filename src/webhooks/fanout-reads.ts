import { Logger } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { DomainError } from '../common/errors/domain-error.js';
import { logSafeError } from '../common/errors/log-safe.js';
import type { PublicResource } from '../common/events/public-events.js';

/**
 * The reads of a fan-out batch: each resource as each organization sees it, one query per
 * resource and organization where the resource can read many at once (readMany), else one read
 * per id, a few at a time. A read that fails (anything but NOT_FOUND or FORBIDDEN) is a failure
 * of that resource for that organization only: the others go on.
 */

/** Reads running at the same time (the pool has room for them beside the requests). */
const READS_AT_ONCE = 8;

const logger = new Logger('WebhookFanout');

/** A read's outcome: the view, null when the organization may not see it, or FAILED. */
export const FAILED = Symbol('read failed');
export type ReadOutcome = object | null | typeof FAILED;

/**
 * The caller an organization is when it reads a resource for an event: as with a STAFF key, the
 * key an integration works with (its views show the moves that key may take next).
 */
export const readerFor = (organizationId: string, organizationKind: Caller['organizationKind']): Caller => ({
  apiKeyId: 'webhook-fanout',
  organizationId,
  organizationKind,
  role: 'STAFF',
  technicianId: null,
});

/** The resource as the organization reads it with GET, or null when it may not (NOT_FOUND, FORBIDDEN); throws otherwise. */
export async function readOne(resource: PublicResource, reader: Caller, id: string): Promise<object | null> {
  try {
    return await resource.read(reader, id);
  } catch (error) {
    if (error instanceof DomainError && (error.category === 'NOT_FOUND' || error.category === 'FORBIDDEN')) return null;
    throw error;
  }
}

/** `work` over every item, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const keyOf = (resource: PublicResource, organizationId: string, id: string) =>
  `${resource.aggregateType}\u0000${organizationId}\u0000${id}`;

/** The reads a batch needs, gathered first and then run together. */
export class BatchReads {
  private readonly groups = new Map<string, { resource: PublicResource; reader: Caller; ids: Set<string> }>();
  private readonly outcomes = new Map<string, ReadOutcome>();

  want(resource: PublicResource, reader: Caller, id: string): void {
    const group = `${resource.aggregateType}\u0000${reader.organizationId}`;
    if (!this.groups.has(group)) this.groups.set(group, { resource, reader, ids: new Set() });
    this.groups.get(group)!.ids.add(id);
  }

  outcome(resource: PublicResource, organizationId: string, id: string): ReadOutcome {
    return this.outcomes.get(keyOf(resource, organizationId, id)) ?? FAILED;
  }

  async run(): Promise<void> {
    const many = [...this.groups.values()].filter((g) => g.resource.readMany);
    const single = [...this.groups.values()]
      .filter((g) => !g.resource.readMany)
      .flatMap((g) => [...g.ids].map((id) => ({ ...g, id })));
    await inParallel(many, READS_AT_ONCE, async ({ resource, reader, ids }) => {
      const list = [...ids];
      try {
        const views = await resource.readMany!(reader, list);
        list.forEach((id, i) => this.outcomes.set(keyOf(resource, reader.organizationId, id), views[i] ?? null));
      } catch {
        // one bad row must not cost the others: read them one by one
        single.push(...list.map((id) => ({ resource, reader, ids, id })));
      }
    });
    await inParallel(single, READS_AT_ONCE, async ({ resource, reader, id }) => {
      const outcome = await readOne(resource, reader, id).catch((error: unknown): ReadOutcome => {
        logger.warn({
          msg: 'Reading a resource for a webhook failed; it is read again later',
          err: logSafeError(error),
        });
        return FAILED;
      });
      this.outcomes.set(keyOf(resource, reader.organizationId, id), outcome);
    });
  }
}
