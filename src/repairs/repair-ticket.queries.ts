import { In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { pageOfIds, SqlConditions, type PageRequest } from '../common/pagination/pagination.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import { TechnicianEntity } from '../organizations/technician.entity.js';
import { UnitEntity } from '../units/unit.entity.js';
import { technicianVisibility, ticketVisibility } from './repair-ticket.access.js';
import { RepairHistoryEntity, RepairTicketEntity } from './repair-ticket.entity.js';
import { DONE_STATUSES, FINAL_REPAIR_STATUSES } from './repair-ticket.machine.js';
import type { RepairTicketFilter } from './repair.inputs.js';

/** The reads and writes of repair tickets (and what they touch on units and claims); the rules are the service's. */

export function findTicket(em: EntityManager, id: string): Promise<RepairTicketEntity | null> {
  return em.findOneBy(RepairTicketEntity, { id });
}

export async function loadTicketWithHistory(
  em: EntityManager,
  id: string,
): Promise<{ ticket: RepairTicketEntity; history: RepairHistoryEntity[] }> {
  const ticket = await em.findOneByOrFail(RepairTicketEntity, { id });
  return { ticket, history: await findHistoryOfTickets(em, [id]) };
}

/** The history rows of the tickets, in order. */
export function findHistoryOfTickets(em: EntityManager, ticketIds: string[]): Promise<RepairHistoryEntity[]> {
  if (ticketIds.length === 0) return Promise.resolve([]);
  return em.find(RepairHistoryEntity, { where: { ticketId: In(ticketIds) }, order: { id: 'ASC' } });
}

/** The unit's open ticket (there is one at most), with the parties that see it. */
export async function findOpenTicketOfUnit(
  em: EntityManager,
  unitId: string,
): Promise<Pick<RepairTicketEntity, 'number' | 'serviceCenterId' | 'openedById' | 'manufacturerId'> | undefined> {
  const [open] = await em.query(
    `SELECT number, service_center_id AS "serviceCenterId", opened_by_id AS "openedById", manufacturer_id AS "manufacturerId"
       FROM repair_tickets WHERE unit_id = $1 AND status <> ALL($2::text[])`,
    [unitId, FINAL_REPAIR_STATUSES],
  );
  return open;
}

/** The next value of the ticket number sequence. */
export async function nextTicketSequence(em: EntityManager): Promise<number> {
  const [{ n }] = await em.query(`SELECT nextval('repair_ticket_number_seq')::int AS n`);
  return n;
}

/**
 * The page of tickets the caller sees (ticketVisibility), filtered, in id order (limit + 1 rows),
 * and how many there are in all.
 */
export async function listTickets(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: RepairTicketFilter | null | undefined,
): Promise<{ tickets: RepairTicketEntity[]; totalCount: number }> {
  const where = new SqlConditions(ticketVisibility(caller, 't', 1));
  if (filter?.status) where.add(`t.status = ${where.param(filter.status)}`);
  if (filter?.technicianId) {
    // only those who see the technicians find tickets by technician: for anyone else the filter matches nothing
    where.add(`t.technician_id = ${where.param(filter.technicianId)}`);
    where.rule((index) => technicianVisibility(caller, 't', index));
  }
  if (filter?.unitId) where.add(`t.unit_id = ${where.param(filter.unitId)}`);
  if (filter?.overdue !== undefined && filter.overdue !== null) {
    const late = `(t.due_at < now() AND t.status <> ALL(${where.param(DONE_STATUSES)}::text[]))`;
    where.add(filter.overdue ? late : `NOT ${late}`);
  }
  const { ids, count } = await pageOfIds(em, { table: 'repair_tickets', alias: 't' }, where, page);
  const tickets = ids.length ? await em.find(RepairTicketEntity, { where: { id: In(ids) }, order: { id: 'ASC' } }) : [];
  return { tickets, totalCount: count };
}

/** The claim already filed for the ticket's repair and still standing (not rejected or cancelled), if any. */
export async function findStandingClaimOfTicket(em: EntityManager, ticketId: string): Promise<string | null> {
  const [filed] = await em.query(
    `SELECT id FROM warranty_claims WHERE repair_ticket_id = $1 AND status NOT IN ('REJECTED', 'CANCELLED') ORDER BY id LIMIT 1`,
    [ticketId],
  );
  return filed?.id ?? null;
}

export function findOrganization(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
  return em.findOneBy(OrganizationEntity, { id });
}

export function findTechnician(em: EntityManager, id: string): Promise<TechnicianEntity | null> {
  return em.findOneBy(TechnicianEntity, { id });
}

export function loadUnit(em: EntityManager, id: string): Promise<UnitEntity> {
  return em.findOneByOrFail(UnitEntity, { id });
}

/** The ids of the units with this serial number (of this manufacturer, if given): two at most, enough to tell one from several. */
export async function findUnitIdsBySerial(
  em: EntityManager,
  serialNumber: string,
  manufacturerId: string | null,
): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `SELECT id FROM units WHERE serial_number = $1 AND ($2::uuid IS NULL OR manufacturer_id = $2::uuid) LIMIT 2`,
    [serialNumber, manufacturerId],
  );
  return rows.map((r) => r.id);
}

/** The unit taken in at the center: the center among those that repaired it, and the one holding its open ticket. */
export async function markUnitTakenIn(em: EntityManager, unitId: string, centerId: string): Promise<void> {
  await em.query(
    `UPDATE units SET repair_org_ids = ARRAY(SELECT DISTINCT unnest(repair_org_ids || ARRAY[$2::uuid])), open_repair_center_id = $2 WHERE id = $1`,
    [unitId, centerId],
  );
}

/** The center's ticket for the unit finished: the center no longer holds an open ticket for it. */
export async function markUnitRepairFinished(em: EntityManager, unitId: string, centerId: string): Promise<void> {
  await em.query(`UPDATE units SET open_repair_center_id = NULL WHERE id = $1 AND open_repair_center_id = $2`, [
    unitId,
    centerId,
  ]);
}
