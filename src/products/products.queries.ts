import { In, type EntityManager } from 'typeorm';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { ProductEntity } from './product.entity.js';
import { ServicePlanEntity } from './service-plan.entity.js';

/** The catalog's reads and writes: rows and entities only, the rules stay in products.service.ts. */

/** Inserts the product and reads it back as stored (the database stamps created_at). */
export async function insertProduct(
  em: EntityManager,
  product: Omit<ProductEntity, 'createdAt'>,
): Promise<ProductEntity> {
  await em.insert(ProductEntity, product);
  return em.findOneByOrFail(ProductEntity, { id: product.id });
}

export function findProduct(em: EntityManager, id: string): Promise<ProductEntity | null> {
  return em.findOneBy(ProductEntity, { id });
}

export function findProductsById(em: EntityManager, ids: readonly string[]): Promise<ProductEntity[]> {
  return em.findBy(ProductEntity, { id: In([...ids]) });
}

/** A page of the catalog, of one category or all, in id order: up to limit+1 rows, and the count of all. */
export async function listProducts(
  em: EntityManager,
  page: PageRequest,
  category: string | null,
): Promise<{ rows: ProductEntity[]; count: number }> {
  const query = em.createQueryBuilder(ProductEntity, 'p');
  if (category) query.andWhere('p.category = :category', { category });
  return pageOfQuery(query, 'p', page);
}

/** Inserts the plan and reads it back as stored (the database stamps created_at). */
export async function insertServicePlan(
  em: EntityManager,
  plan: Omit<ServicePlanEntity, 'createdAt'>,
): Promise<ServicePlanEntity> {
  await em.insert(ServicePlanEntity, plan);
  return em.findOneByOrFail(ServicePlanEntity, { id: plan.id });
}

/** Every service plan, at most 1,000, in id order. */
export function listServicePlans(em: EntityManager): Promise<ServicePlanEntity[]> {
  return em.find(ServicePlanEntity, { order: { id: 'ASC' }, take: 1000 });
}

export function findServicePlan(em: EntityManager, id: string): Promise<ServicePlanEntity | null> {
  return em.findOneBy(ServicePlanEntity, { id });
}

export function findServicePlansById(em: EntityManager, ids: readonly string[]): Promise<ServicePlanEntity[]> {
  return em.findBy(ServicePlanEntity, { id: In([...ids]) });
}
