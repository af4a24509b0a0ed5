import { In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { pageOfIds, SqlConditions, type PageRequest } from '../common/pagination/pagination.js';
import { ProductEntity } from '../products/product.entity.js';
import { FINAL_REPAIR_STATUSES } from '../repairs/repair-ticket.machine.js';
import { OPEN_RETURN_STATUSES } from '../returns/return.machine.js';
import { UnitEntity } from '../units/unit.entity.js';
import { OPEN_UPGRADE_STATUSES } from './upgrade-request.machine.js';
import { upgradeVisibility } from './upgrade-visibility.js';
import { UpgradeProgramEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import type { UpgradeRequestFilter } from './upgrade.inputs.js';

/** The upgrades module's reads and writes: rows and entities only, the rules stay in upgrades.service.ts. */

export function findProductsById(em: EntityManager, ids: string[]): Promise<ProductEntity[]> {
  return em.findBy(ProductEntity, { id: In(ids) });
}

export function loadProduct(em: EntityManager, id: string): Promise<ProductEntity> {
  return em.findOneByOrFail(ProductEntity, { id });
}

export function loadUnit(em: EntityManager, id: string): Promise<UnitEntity> {
  return em.findOneByOrFail(UnitEntity, { id });
}

export async function insertProgram(em: EntityManager, program: UpgradeProgramEntity): Promise<void> {
  await em.insert(UpgradeProgramEntity, program);
}

export function findProgram(em: EntityManager, id: string): Promise<UpgradeProgramEntity | null> {
  return em.findOneBy(UpgradeProgramEntity, { id });
}

/** The program a request was made under (it always has one). */
export function loadProgramOfRequest(
  em: EntityManager,
  upgrade: Pick<UpgradeRequestEntity, 'programId'>,
): Promise<UpgradeProgramEntity> {
  return em.findOneByOrFail(UpgradeProgramEntity, { id: upgrade.programId });
}

export function findProgramsById(em: EntityManager, ids: readonly string[]): Promise<UpgradeProgramEntity[]> {
  return em.findBy(UpgradeProgramEntity, { id: In([...ids]) });
}

export function listPrograms(em: EntityManager): Promise<UpgradeProgramEntity[]> {
  return em.find(UpgradeProgramEntity, { order: { id: 'ASC' } });
}

/** The programs of these organizations, in id order. */
export function findProgramsOwnedBy(em: EntityManager, ownerIds: string[]): Promise<UpgradeProgramEntity[]> {
  return em.find(UpgradeProgramEntity, { where: { ownerId: In(ownerIds) }, order: { id: 'ASC' } });
}

/** Whether unit $1 has an open repair ticket ($2: the final repair statuses) or is on an open return ($3: open return statuses). */
const OPEN_WORK_SQL = `(EXISTS (SELECT 1 FROM repair_tickets t WHERE t.unit_id = $1 AND t.status <> ALL($2::text[]))
  OR EXISTS (SELECT 1 FROM return_lines l JOIN return_authorizations r ON r.id = l.return_id WHERE l.unit_id = $1 AND r.status = ANY($3::text[])))`;

/** The unit's product category, and whether the unit has an open repair ticket or return, in one query. */
export async function findCategoryAndOpenWork(
  em: EntityManager,
  unit: Pick<UnitEntity, 'id' | 'productId'>,
): Promise<{ category: string; hasOpenRepairOrReturn: boolean }> {
  const [row] = await em.query(`SELECT p.category, ${OPEN_WORK_SQL} AS open_work FROM products p WHERE p.id = $4`, [
    unit.id,
    FINAL_REPAIR_STATUSES,
    OPEN_RETURN_STATUSES,
    unit.productId,
  ]);
  return { category: row.category, hasOpenRepairOrReturn: row.open_work };
}

export async function hasOpenRepairOrReturn(em: EntityManager, unitId: string): Promise<boolean> {
  const [row] = await em.query(`SELECT ${OPEN_WORK_SQL} AS open_work`, [
    unitId,
    FINAL_REPAIR_STATUSES,
    OPEN_RETURN_STATUSES,
  ]);
  return row.open_work;
}

export async function hasOpenUpgradeRequest(em: EntityManager, unitId: string): Promise<boolean> {
  const [open] = await em.query(`SELECT id FROM upgrade_requests WHERE unit_id = $1 AND status = ANY($2::text[])`, [
    unitId,
    OPEN_UPGRADE_STATUSES,
  ]);
  return open !== undefined;
}

export function findUpgradeRequest(em: EntityManager, id: string): Promise<UpgradeRequestEntity | null> {
  return em.findOneBy(UpgradeRequestEntity, { id });
}

/** A page of the requests the caller sees (upgrade-visibility.ts), filtered, in id order: up to limit+1 rows, and the count of all. */
export async function listUpgradeRequests(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: UpgradeRequestFilter,
): Promise<{ rows: UpgradeRequestEntity[]; count: number }> {
  const where = new SqlConditions(upgradeVisibility(caller, 'x', 1));
  if (filter.status) where.add(`x.status = ${where.param(filter.status)}`);
  if (filter.unitId) where.add(`x.unit_id = ${where.param(filter.unitId)}`);
  if (filter.programId) where.add(`x.program_id = ${where.param(filter.programId)}`);
  const { ids, count } = await pageOfIds(em, { table: 'upgrade_requests', alias: 'x' }, where, page);
  const rows = ids.length ? await em.find(UpgradeRequestEntity, { where: { id: In(ids) }, order: { id: 'ASC' } }) : [];
  return { rows, count };
}
