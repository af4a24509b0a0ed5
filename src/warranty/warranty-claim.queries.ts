import { In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { pageOfIds, SqlConditions, type PageRequest } from '../common/pagination/pagination.js';
import { UnitEntity } from '../units/unit.entity.js';
import { claimVisibility } from './claim-visibility.js';
import { ClaimHistoryEntity, WarrantyClaimEntity } from './claim.entity.js';
import type { WarrantyClaimFilter } from './claim.inputs.js';

/** The queries of warranty claims: they fetch and write rows; the rules stay in ClaimsService. */

export function findClaim(em: EntityManager, id: string): Promise<WarrantyClaimEntity | null> {
  return em.findOneBy(WarrantyClaimEntity, { id });
}

/** A claim and its history in order: the claim must exist. */
export async function findClaimWithHistory(
  em: EntityManager,
  id: string,
): Promise<{ claim: WarrantyClaimEntity; history: ClaimHistoryEntity[] }> {
  const claim = await em.findOneByOrFail(WarrantyClaimEntity, { id });
  const history = await em.find(ClaimHistoryEntity, { where: { claimId: id }, order: { id: 'ASC' } });
  return { claim, history };
}

export function findClaimsOfUnit(em: EntityManager, unitId: string): Promise<WarrantyClaimEntity[]> {
  return em.find(WarrantyClaimEntity, { where: { unitId } });
}

/** The unit a claim is filed for: it must exist. */
export function findClaimedUnit(em: EntityManager, unitId: string): Promise<UnitEntity> {
  return em.findOneByOrFail(UnitEntity, { id: unitId });
}

/** The next number of the WC- sequence. */
export async function nextClaimNumber(em: EntityManager): Promise<number> {
  const [{ n }] = await em.query(`SELECT nextval('warranty_claim_number_seq')::int AS n`);
  return n;
}

interface RepairTicketParties {
  unitId: string;
  serviceCenterId: string;
  openedById: string;
}

/** The unit and parties of the repair ticket a claim names, undefined when there is none with that id. */
export async function findRepairTicketParties(
  em: EntityManager,
  ticketId: string,
): Promise<RepairTicketParties | undefined> {
  const [ticket] = await em.query(`SELECT unit_id, service_center_id, opened_by_id FROM repair_tickets WHERE id = $1`, [
    ticketId,
  ]);
  return (
    ticket && { unitId: ticket.unit_id, serviceCenterId: ticket.service_center_id, openedById: ticket.opened_by_id }
  );
}

/**
 * The claims the caller may see (claim-visibility.ts, as get), filtered, a page at a time in id
 * order, with their histories and the count of all that match.
 */
export async function listClaims(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: WarrantyClaimFilter | null | undefined,
): Promise<{ claims: WarrantyClaimEntity[]; history: ClaimHistoryEntity[]; totalCount: number }> {
  const where = new SqlConditions(claimVisibility(caller, 'c', 1));
  if (filter?.status) where.add(`c.status = ${where.param(filter.status)}`);
  if (filter?.unitId) where.add(`c.unit_id = ${where.param(filter.unitId)}`);
  const { ids, count } = await pageOfIds(em, { table: 'warranty_claims', alias: 'c' }, where, page);
  if (ids.length === 0) return { claims: [], history: [], totalCount: count };
  const claims = await em.find(WarrantyClaimEntity, { where: { id: In(ids) }, order: { id: 'ASC' } });
  const history = await em.find(ClaimHistoryEntity, { where: { claimId: In(ids) }, order: { id: 'ASC' } });
  return { claims, history, totalCount: count };
}
