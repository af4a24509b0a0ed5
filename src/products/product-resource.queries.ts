import { In, type EntityManager } from 'typeorm';
import { ProductResourceEntity } from './product-resource.entity.js';

/** The SQL of product resources; the rules are in products.service.ts. */

/** The resources of these products, oldest first. */
export function findResourcesOfProducts(
  em: EntityManager,
  productIds: readonly string[],
): Promise<ProductResourceEntity[]> {
  return em.find(ProductResourceEntity, {
    where: { productId: In([...productIds]) },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
}

export function findResource(em: EntityManager, id: string): Promise<ProductResourceEntity | null> {
  return em.findOneBy(ProductResourceEntity, { id });
}

/** Locks the product's row, so two additions count its resources one after the other. */
export async function lockProductAndCountResources(em: EntityManager, productId: string): Promise<number> {
  await em.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [productId]);
  return em.countBy(ProductResourceEntity, { productId });
}

export async function insertResource(
  em: EntityManager,
  resource: Omit<ProductResourceEntity, 'createdAt'>,
): Promise<ProductResourceEntity> {
  await em.insert(ProductResourceEntity, resource);
  return em.findOneByOrFail(ProductResourceEntity, { id: resource.id });
}

export async function deleteResource(em: EntityManager, id: string): Promise<void> {
  await em.delete(ProductResourceEntity, { id });
}
