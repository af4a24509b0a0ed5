import type { FastifyRequest } from 'fastify';
import { loadersOf } from '../common/graphql/loaders.js';
import type { ProductView, ServicePlanView } from './product.views.js';
import type { ProductsService } from './products.service.js';

export function loadProduct(req: FastifyRequest, service: ProductsService, id: string): Promise<ProductView | null> {
  return loadersOf(req)
    .get<string, ProductView | null>('product', (ids) => service.findProducts(ids))
    .load(id);
}

export function loadServicePlan(
  req: FastifyRequest,
  service: ProductsService,
  id: string,
): Promise<ServicePlanView | null> {
  return loadersOf(req)
    .get<string, ServicePlanView | null>('servicePlan', (ids) => service.findServicePlans(ids))
    .load(id);
}
