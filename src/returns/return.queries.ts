import { In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { pageOfIds, SqlConditions, type PageRequest } from '../common/pagination/pagination.js';
import { ProductEntity } from '../products/product.entity.js';
import { UnitEntity } from '../units/unit.entity.js';
import { returnVisibility } from './return-visibility.js';
import { ReturnEntity, ReturnHistoryEntity, ReturnLineEntity, ReturnPolicyEntity } from './return.entity.js';
import type { ReturnFilter } from './return.inputs.js';
import { OPEN_RETURN_STATUSES } from './return.machine.js';

/** The reads and writes of returns and their policies; the rules are in returns.service.ts. */

/** A return with its lines and its history (oldest first). */
interface ReturnRows {
  rma: ReturnEntity;
  lines: ReturnLineEntity[];
  history: ReturnHistoryEntity[];
}

/** Locks the retailer's row: its policy changes run one at a time. */
export async function lockRetailer(em: EntityManager, retailerId: string): Promise<void> {
  await em.query(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [retailerId]);
}

/** A retailer's policies, every retailer's when `retailerId` is null; in id order. */
export function findRetailerPolicies(em: EntityManager, retailerId: string | null): Promise<ReturnPolicyEntity[]> {
  return em.find(ReturnPolicyEntity, { where: retailerId === null ? {} : { retailerId }, order: { id: 'ASC' } });
}

export function findPoliciesByIds(em: EntityManager, ids: readonly string[]): Promise<ReturnPolicyEntity[]> {
  return em.findBy(ReturnPolicyEntity, { id: In([...ids]) });
}

export async function insertPolicy(em: EntityManager, policy: ReturnPolicyEntity): Promise<void> {
  await em.insert(ReturnPolicyEntity, policy);
}

export function findUnitsByIds(em: EntityManager, ids: readonly string[]): Promise<UnitEntity[]> {
  return em.findBy(UnitEntity, { id: In([...new Set(ids)]) });
}

/** The units, locked in a fixed order (id) so that two requests for the same units cannot deadlock. */
export async function lockUnits(em: EntityManager, unitIds: string[]): Promise<UnitEntity[]> {
  await em.query(`SELECT id FROM units WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [unitIds]);
  return em.findBy(UnitEntity, { id: In(unitIds) });
}

/** The category of each product, by product id. */
export async function productCategories(em: EntityManager, productIds: string[]): Promise<Map<string, string>> {
  const products = await em.findBy(ProductEntity, { id: In([...new Set(productIds)]) });
  return new Map(products.map((p) => [p.id, p.category]));
}

/** The number of the open return holding each of the units, by unit id (units on none are absent). */
export async function openReturnNumbersOf(em: EntityManager, unitIds: string[]): Promise<Map<string, string>> {
  const rows: { unit_id: string; number: string }[] = await em.query(
    `SELECT l.unit_id, r.number FROM return_lines l JOIN return_authorizations r ON r.id = l.return_id
      WHERE l.unit_id = ANY($1::uuid[]) AND r.status = ANY($2::text[])`,
    [unitIds, OPEN_RETURN_STATUSES],
  );
  return new Map(rows.map((o) => [o.unit_id, o.number]));
}

/** The next return number, RMA-000042. */
export async function nextReturnNumber(em: EntityManager): Promise<string> {
  const [{ n }] = await em.query(`SELECT nextval('return_number_seq')::int AS n`);
  return `RMA-${String(n).padStart(6, '0')}`;
}

export async function insertReturnLines(em: EntityManager, lines: ReturnLineEntity[]): Promise<void> {
  await em.insert(ReturnLineEntity, lines);
}

export function findReturn(em: EntityManager, id: string): Promise<ReturnEntity | null> {
  return em.findOneBy(ReturnEntity, { id });
}

export function findReturnLine(em: EntityManager, lineId: string): Promise<ReturnLineEntity | null> {
  return em.findOneBy(ReturnLineEntity, { id: lineId });
}

export function findLinesOfReturn(em: EntityManager, returnId: string): Promise<ReturnLineEntity[]> {
  return em.findBy(ReturnLineEntity, { returnId });
}

export async function updateReturnLine(
  em: EntityManager,
  lineId: string,
  patch: Partial<ReturnLineEntity>,
): Promise<void> {
  await em.update(ReturnLineEntity, { id: lineId }, patch);
}

/** A return, its lines and its history; the return must exist. */
export async function loadReturnRows(em: EntityManager, id: string): Promise<ReturnRows> {
  const rma = await em.findOneByOrFail(ReturnEntity, { id });
  const lines = await em.findBy(ReturnLineEntity, { returnId: id });
  const history = await em.find(ReturnHistoryEntity, { where: { returnId: id }, order: { id: 'ASC' } });
  return { rma, lines, history };
}

/**
 * A page of the returns the caller sees (return-visibility.ts), filtered, in id order: up to
 * `page.limit + 1` of them with their lines and history, and how many match the filter in all.
 */
export async function listReturns(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: ReturnFilter | null | undefined,
): Promise<{ rows: ReturnRows[]; count: number }> {
  const where = new SqlConditions(returnVisibility(caller, 'r', 1));
  if (filter?.status) where.add(`r.status = ${where.param(filter.status)}`);
  if (filter?.unitId)
    where.add(
      `EXISTS (SELECT 1 FROM return_lines l WHERE l.return_id = r.id AND l.unit_id = ${where.param(filter.unitId)})`,
    );
  const { ids, count } = await pageOfIds(em, { table: 'return_authorizations', alias: 'r' }, where, page);
  return { rows: await returnsWithLinesAndHistory(em, ids), count };
}

/** The returns of the ids, in id order, each with its lines and history. */
async function returnsWithLinesAndHistory(em: EntityManager, ids: string[]): Promise<ReturnRows[]> {
  if (ids.length === 0) return [];
  const returns = await em.find(ReturnEntity, { where: { id: In(ids) }, order: { id: 'ASC' } });
  const lines = await em.findBy(ReturnLineEntity, { returnId: In(ids) });
  const history = await em.find(ReturnHistoryEntity, { where: { returnId: In(ids) }, order: { id: 'ASC' } });
  return returns.map((rma) => ({
    rma,
    lines: lines.filter((l) => l.returnId === rma.id),
    history: history.filter((h) => h.returnId === rma.id),
  }));
}

/**
 * The AUTHORIZED returns past their ship-by date, locked: a second run at the same time skips
 * them, and finds them EXPIRED after.
 */
export function lockOverdueReturns(em: EntityManager): Promise<{ id: string; ship_by: string }[]> {
  return em.query(
    `SELECT id, ship_by::text AS ship_by FROM return_authorizations
      WHERE status = 'AUTHORIZED' AND ship_by < (now() AT TIME ZONE 'UTC')::date ORDER BY id FOR UPDATE SKIP LOCKED`,
  );
}

/** Moves a unit's service plans to another unit; the ids of the plans moved. */
export async function moveServicePlans(em: EntityManager, fromUnitId: string, toUnitId: string): Promise<string[]> {
  const [moved] = await em.query(
    `UPDATE unit_service_plans SET unit_id = $2 WHERE unit_id = $1 RETURNING service_plan_id`,
    [fromUnitId, toUnitId],
  );
  return moved.map((m: { service_plan_id: string }) => m.service_plan_id);
}
