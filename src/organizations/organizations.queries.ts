import { In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { likePrefixPattern } from '../common/sql/like-pattern.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { OrganizationEntity, type OrganizationKind } from './organization.entity.js';
import { organizationVisibility } from './organization-visibility.js';
import { TechnicianEntity } from './technician.entity.js';

/** The organizations module's reads and writes: rows and entities only, the rules stay in organizations.service.ts. */

/** Which organizations of the directory to list: of a kind, and whose name starts (case-insensitively) with a prefix. */
export interface DirectoryQuery {
  kind: OrganizationKind | null;
  namePrefix: string | null;
}

/** Inserts the organization and reads it back as stored (the database stamps created_at). */
export async function insertOrganization(
  em: EntityManager,
  organization: Omit<OrganizationEntity, 'createdAt'>,
): Promise<OrganizationEntity> {
  await em.insert(OrganizationEntity, organization);
  return em.findOneByOrFail(OrganizationEntity, { id: organization.id });
}

export function findOrganization(em: EntityManager, id: string): Promise<OrganizationEntity | null> {
  return em.findOneBy(OrganizationEntity, { id });
}

export function findOrganizationsById(em: EntityManager, ids: readonly string[]): Promise<OrganizationEntity[]> {
  return em.findBy(OrganizationEntity, { id: In([...ids]) });
}

/** A page of the directory as the caller sees it (organization-visibility.ts), in id order: up to limit+1 rows, and the count of all. */
export async function listOrganizations(
  em: EntityManager,
  caller: Caller,
  page: PageRequest,
  filter: DirectoryQuery,
): Promise<{ rows: OrganizationEntity[]; count: number }> {
  const query = em.createQueryBuilder(OrganizationEntity, 'o').where(organizationVisibility(caller, 'o'));
  if (filter.kind) query.andWhere('o.kind = :kind', { kind: filter.kind });
  if (filter.namePrefix)
    query.andWhere('lower(o.name) LIKE lower(:name)', { name: likePrefixPattern(filter.namePrefix) });
  return pageOfQuery(query, 'o', page);
}

/** Inserts the key and reads it back as stored (the database stamps created_at); the secret's hash is never read. */
export async function insertApiKey(
  em: EntityManager,
  key: Omit<ApiKeyEntity, 'createdAt' | 'fromEnv'>,
): Promise<ApiKeyEntity> {
  await em.insert(ApiKeyEntity, key);
  return em.findOneByOrFail(ApiKeyEntity, { id: key.id });
}

export function findApiKey(em: EntityManager, id: string): Promise<ApiKeyEntity | null> {
  return em.findOneBy(ApiKeyEntity, { id });
}

/** The key of an authenticated call: it exists. */
export function loadApiKey(em: EntityManager, id: string): Promise<ApiKeyEntity> {
  return em.findOneByOrFail(ApiKeyEntity, { id });
}

/** Revokes the key unless it is revoked already, and reads it back. */
export async function revokeApiKey(em: EntityManager, id: string): Promise<ApiKeyEntity> {
  await em.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  return loadApiKey(em, id);
}

/** A page of the organization's keys, in id order: up to limit+1 rows, and the count of all. */
export async function listApiKeys(
  em: EntityManager,
  organizationId: string,
  page: PageRequest,
): Promise<{ rows: ApiKeyEntity[]; count: number }> {
  const query = em.createQueryBuilder(ApiKeyEntity, 'k').where('k.organization_id = :org', { org: organizationId });
  return pageOfQuery(query, 'k', page);
}

/** Inserts the technician and reads it back as stored. */
export async function insertTechnician(
  em: EntityManager,
  technician: Omit<TechnicianEntity, 'createdAt'>,
): Promise<TechnicianEntity> {
  await em.insert(TechnicianEntity, technician);
  return em.findOneByOrFail(TechnicianEntity, { id: technician.id });
}

export function findTechnician(em: EntityManager, id: string): Promise<TechnicianEntity | null> {
  return em.findOneBy(TechnicianEntity, { id });
}

export function findTechniciansById(em: EntityManager, ids: readonly string[]): Promise<TechnicianEntity[]> {
  return em.findBy(TechnicianEntity, { id: In([...ids]) });
}

/** The technicians of one service center, or of every center when `serviceCenterId` is null: at most 1,000, in id order. */
export function listTechnicians(em: EntityManager, serviceCenterId: string | null): Promise<TechnicianEntity[]> {
  return em.find(TechnicianEntity, {
    where: serviceCenterId ? { serviceCenterId } : {},
    order: { id: 'ASC' },
    take: 1000,
  });
}
