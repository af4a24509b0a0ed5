import type { FastifyRequest } from 'fastify';
import { loadersOf } from '../common/graphql/loaders.js';
import type { OrganizationsService } from './organizations.service.js';
import type { OrganizationView, TechnicianView } from './organization.views.js';

/** Batched look-ups that other modules' field resolvers use too (product.manufacturer, unit.retailer, ...). */
export function loadOrganization(
  req: FastifyRequest,
  service: OrganizationsService,
  id: string,
): Promise<OrganizationView | null> {
  return loadersOf(req)
    .get<string, OrganizationView | null>('organization', (ids) => service.findOrganizations(ids))
    .load(id);
}

export function loadTechnician(
  req: FastifyRequest,
  service: OrganizationsService,
  id: string,
): Promise<TechnicianView | null> {
  return loadersOf(req)
    .get<string, TechnicianView | null>('technician', (ids) => service.findTechnicians(ids))
    .load(id);
}
