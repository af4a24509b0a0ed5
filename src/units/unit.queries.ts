import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Caller } from '../common/auth/caller.js';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { ProductEntity } from '../products/product.entity.js';
import { ServicePlanEntity } from '../products/service-plan.entity.js';
import { UnitEventEntity } from './unit-event.entity.js';
import { hasOwnerFilter, ownerFilterConditions } from './unit-owner-search.js';
import { UnitServicePlanEntity } from './unit-service-plan.entity.js';
import { ownerVisibility, unitVisibility } from './unit-visibility.js';
import { readQuery } from '../database/read-routing.js';
import { UnitEntity, type OwnerData } from './unit.entity.js';
import type { UnitFilter } from './unit.inputs.js';

/** The reads and writes of units, their history and their service plans; the rules are the services'. */

export function findProduct(em: EntityManager, id: string): Promise<ProductEntity | null> {
  return em.findOneBy(ProductEntity, { id });
}

export function findProductBySku(
  em: EntityManager,
  manufacturerId: string,
  sku: string,
): Promise<ProductEntity | null> {
  return em.findOneBy(ProductEntity, { manufacturerId, sku });
}

export function getProduct(em: EntityManager, id: string): Promise<ProductEntity> {
  return em.findOneByOrFail(ProductEntity, { id });
}

export async function isRetailerOrganization(em: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await em.query(`SELECT 1 FROM organizations WHERE id = $1 AND kind = 'RETAILER'`, [id]);
  return rows.length === 1;
}

export function serialNumberTaken(em: EntityManager, manufacturerId: string, serialNumber: string): Promise<boolean> {
  return em.existsBy(UnitEntity, { manufacturerId, serialNumber });
}

export async function insertUnit(em: EntityManager, unit: Partial<UnitEntity>): Promise<void> {
  await em.insert(UnitEntity, unit);
}

export function findUnit(em: EntityManager, id: string): Promise<UnitEntity | null> {
  return em.findOneBy(UnitEntity, { id });
}

export function getUnit(em: EntityManager, id: string): Promise<UnitEntity> {
  return em.findOneByOrFail(UnitEntity, { id });
}

export function findUnits(em: EntityManager, ids: readonly string[]): Promise<UnitEntity[]> {
  return em.findBy(UnitEntity, { id: In([...ids]) });
}

/** The ids (two at most) of the units the caller sees with this serial number, of one manufacturer when given. */
export async function findVisibleUnitIdsBySerial(
  em: EntityManager,
  caller: Caller,
  serialNumber: string,
  manufacturerId: string | null,
): Promise<string[]> {
  const visibility = unitVisibility(caller, 'u', 3);
  const rows: { id: string }[] = await em.query(
    `SELECT u.id FROM units u WHERE u.serial_number = $1 AND ($2::uuid IS NULL OR u.manufacturer_id = $2::uuid) AND ${visibility.sql} LIMIT 2`,
    [serialNumber, manufacturerId, ...visibility.params],
  );
  return rows.map((row) => row.id);
}

/**
 * The page of units the caller sees (unitVisibility), filtered, in id order (limit + 1 rows), and
 * how many there are in all. The owner filters find only units whose owner the caller may read
 * (ownerVisibility): nobody finds a unit by an owner it may not read (a center after its ticket,
 * an opener, the platform).
 */
export async function listUnits(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: UnitFilter | null | undefined,
): Promise<{ rows: UnitEntity[]; count: number }> {
  const visibility = unitVisibility(caller, 'u', 1);
  const conditions = [visibility.sql];
  const params: unknown[] = [...visibility.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter?.status) conditions.push(`u.status = ${param(filter.status)}`);
  if (filter?.productId) conditions.push(`u.product_id = ${param(filter.productId)}`);
  if (filter?.serialNumber) conditions.push(`u.serial_number = ${param(filter.serialNumber.trim())}`);
  if (filter && hasOwnerFilter(filter)) {
    const owner = ownerVisibility(caller, 'u', params.length + 1);
    params.push(...owner.params);
    conditions.push(owner.sql, ...ownerFilterConditions(filter, 'u', param));
  }
  const [{ count }]: { count: number }[] = await readQuery(
    em,
    `SELECT count(*)::int AS count FROM units u WHERE ${conditions.join(' AND ')}`,
    params,
  );
  if (page.afterId) conditions.push(`u.id > ${param(page.afterId)}`);
  const ids: { id: string }[] = await readQuery(
    em,
    `SELECT u.id FROM units u WHERE ${conditions.join(' AND ')} ORDER BY u.id LIMIT ${param(page.limit + 1)}`,
    params,
  );
  const rows = ids.length
    ? await em.find(UnitEntity, { where: { id: In(ids.map((r) => r.id)) }, order: { id: 'ASC' } })
    : [];
  return { rows, count };
}

export async function updateUnitOwner(em: EntityManager, unitId: string, owner: OwnerData): Promise<void> {
  await em.update(UnitEntity, { id: unitId }, { owner });
}

export async function insertUnitEvents(em: EntityManager, events: UnitEventEntity[]): Promise<void> {
  // TypeORM's insert type has no place for a jsonb column typed as a record (data): the rows are whole entities
  await em.insert(UnitEventEntity, events as QueryDeepPartialEntity<UnitEventEntity>[]);
}

/** The unit's history rows in id order (limit + 1 rows of the page), and how many there are in all. */
export async function pageUnitEvents(
  em: EntityManager,
  unitId: string,
  page: PageRequest,
): Promise<{ rows: UnitEventEntity[]; count: number }> {
  const query = em.getRepository(UnitEventEntity).createQueryBuilder('e').where('e.unit_id = :unitId', { unitId });
  return pageOfQuery(query, 'e', page);
}

export function findServicePlan(em: EntityManager, id: string): Promise<ServicePlanEntity | null> {
  return em.findOneBy(ServicePlanEntity, { id });
}

export function servicePlanAttached(em: EntityManager, unitId: string, servicePlanId: string): Promise<boolean> {
  return em.existsBy(UnitServicePlanEntity, { unitId, servicePlanId });
}

export async function insertUnitServicePlan(
  em: EntityManager,
  plan: Omit<UnitServicePlanEntity, 'createdAt'>,
): Promise<void> {
  await em.insert(UnitServicePlanEntity, plan);
}

/** The service plans attached to the units, in id order. */
export function findServicePlansOfUnits(
  em: EntityManager,
  unitIds: readonly string[],
): Promise<UnitServicePlanEntity[]> {
  return em.find(UnitServicePlanEntity, { where: { unitId: In([...unitIds]) }, order: { id: 'ASC' } });
}
