import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { UnitEventEntity } from './unit-event.entity.js';
import type { UnitAccessFacts } from './unit-visibility.js';

/**
 * A unit's history is read by everyone who may see the unit (its manufacturer, its retailer, the
 * service centers that had it), but the returns, tickets, claims, upgrade requests and other units
 * a row is about are seen by fewer. So a row's summary names none of them, and the links sit in
 * `data.references`, each with the organizations that may see what it links to, and are shown to
 * those organizations only (the platform sees every link).
 */
type HistoryReferenceKind = 'RETURN' | 'REPAIR_TICKET' | 'WARRANTY_CLAIM' | 'UPGRADE_REQUEST' | 'UNIT';

export interface HistoryReference {
  kind: HistoryReferenceKind;
  id: string;
  /** Its number (RMA-, RT-, WC-) or serial number, when it has one. */
  label?: string;
  /**
   * The organizations that may see the record, as they stand when the row is written: the
   * parties of a return, ticket, claim or upgrade request never change.
   */
  seenBy: (string | null)[];
}

/** What a reader sees of a link: no audience. */
type ShownReference = Omit<HistoryReference, 'seenBy'>;

/** A link to another unit, for the organizations that may see that unit now. */
export function unitReference(unit: UnitAccessFacts & { id: string; serialNumber: string }): HistoryReference {
  return {
    kind: 'UNIT',
    id: unit.id,
    label: unit.serialNumber,
    seenBy: [unit.manufacturerId, unit.retailerId, ...(unit.repairOrgIds ?? [])],
  };
}

/** The stored data of a row: its references with their audience, nulls dropped. */
export function storedHistoryData(
  data: Record<string, unknown> | undefined,
  references: HistoryReference[] | undefined,
): Record<string, unknown> | null {
  if (!references?.length) return data ?? null;
  return {
    ...data,
    references: references.map((r) => ({ ...r, seenBy: r.seenBy.filter((id): id is string => id !== null) })),
  };
}

/** A row's data as this reader sees it: only the links it may follow, without their audience; null when nothing is left. */
export function historyDataFor(caller: Caller, data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!data) return null;
  const { references, ...rest } = data as { references?: HistoryReference[] };
  const shown: ShownReference[] = (references ?? [])
    .filter((r) => isPlatform(caller) || r.seenBy.includes(caller.organizationId))
    .map(({ seenBy: _seenBy, ...r }) => r);
  const out: Record<string, unknown> = shown.length ? { ...rest, references: shown } : rest;
  return Object.keys(out).length ? out : null;
}

/**
 * A technician is its center's own (docs/rules.md): a row's technician is shown to the center that
 * acted (a technician key belongs to it) and the platform, never to others.
 */
export function historyTechnicianFor(
  caller: Caller,
  event: Pick<UnitEventEntity, 'technicianId' | 'actorOrganizationId'>,
): string | null {
  return event.technicianId && (isPlatform(caller) || caller.organizationId === event.actorOrganizationId)
    ? event.technicianId
    : null;
}
