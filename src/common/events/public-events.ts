import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller.js';

/**
 * The events the outside world may hear of (webhooks now, owner outreach next), declared by the
 * domain modules that own the resources: the outward modules run these declarations and import
 * no domain module.
 *
 * A resource says which outbox events become which public events, which organizations are party
 * to one of its rows (a superset of those who may see it, to avoid asking every organization),
 * and how a caller reads it: `read` is the resource's own `GET`, so an organization is sent
 * exactly what it could read there, by the one access rule of the resource, or nothing.
 */
export interface PublicEventType {
  /** `resource.change` in lower snake case, e.g. `repair_ticket.status_changed`. */
  name: string;
  description: string;
}

export interface PublicResource {
  /** The outbox events' aggregate_type. */
  aggregateType: string;
  /** The name of the OpenAPI schema of the resource's REST view: the events' `data`. */
  viewSchema: string;
  /** The public event types, each with the outbox event types published as it. */
  events: Array<PublicEventType & { from: readonly string[] }>;
  /** The organizations party to each row (its manufacturer, retailer, center, ...), by id: a batch at a time. */
  parties(em: EntityManager, ids: string[]): Promise<Map<string, string[]>>;
  /** The resource as `caller` reads it with GET, or null when it may not see it. */
  read(caller: Caller, id: string): Promise<object | null>;
  /** Optional, the same as `read` for many ids in one query: each id's view, null where `read` would be. */
  readMany?(caller: Caller, ids: string[]): Promise<(object | null)[]>;
}

export interface PublicEvent {
  type: string;
  resource: PublicResource;
}

@Injectable()
export class PublicEvents {
  private readonly resources = new Map<string, PublicResource>();
  private readonly byOutboxType = new Map<string, PublicEvent>();
  private readonly extraTypes: Array<PublicEventType & { viewSchema: string }> = [];

  /** Called by a domain module when it starts. */
  register(resource: PublicResource): void {
    this.resources.set(resource.aggregateType, resource);
    for (const event of resource.events) {
      for (const from of event.from)
        this.byOutboxType.set(`${resource.aggregateType}:${from}`, { type: event.name, resource });
    }
  }

  /** Event types that come from no outbox event (webhook.test, for instance). */
  declare(type: PublicEventType & { viewSchema: string }): void {
    this.extraTypes.push(type);
  }

  /** The public event an outbox event is published as, or null when it stays inside. */
  publicEventOf(aggregateType: string, eventType: string): PublicEvent | null {
    return this.byOutboxType.get(`${aggregateType}:${eventType}`) ?? null;
  }

  /** The catalogue: every public event type with its data's schema name, sorted by name. */
  catalogue(): Array<PublicEventType & { viewSchema: string }> {
    const fromResources = [...this.resources.values()].flatMap((r) =>
      r.events.map((e) => ({ name: e.name, description: e.description, viewSchema: r.viewSchema })),
    );
    return [...fromResources, ...this.extraTypes].sort((a, b) => a.name.localeCompare(b.name));
  }

  isKnownType(name: string): boolean {
    return this.catalogue().some((t) => t.name === name);
  }
}

/**
 * A resource's parties read from its row: the organization columns, and an array column of more
 * (e.g. units.repair_org_ids). Table and column names are the module's constants, never input.
 */
export function partiesFromRow(table: string, columns: string[], arrayColumn?: string): PublicResource['parties'] {
  const list = `ARRAY[${columns.join(', ')}]::uuid[]${arrayColumn ? ` || coalesce(${arrayColumn}, '{}')` : ''}`;
  const sql = `SELECT DISTINCT id, party FROM ${table}, unnest(${list}) AS party WHERE id = ANY($1::uuid[]) AND party IS NOT NULL`;
  return async (em, ids) => {
    const parties = new Map<string, string[]>();
    for (const row of (await em.query(sql, [ids])) as { id: string; party: string }[])
      parties.set(row.id, [...(parties.get(row.id) ?? []), row.party]);
    return parties;
  };
}

/** The request context a resource's GET is called with when an organization reads it for an event. */
export const readingContext = (caller: Caller) => ({ caller, correlationId: 'public-event' });
