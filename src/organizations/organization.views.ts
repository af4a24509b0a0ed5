import { typed } from '../common/graphql/node.js';
import type { MoneyType } from '../common/money/money.types.js';
import { moneyOrNull } from '../common/money/money.types.js';
import type { ApiKeyEntity, ApiKeyRole } from './api-key.entity.js';
import type { OrganizationEntity, OrganizationKind } from './organization.entity.js';
import type { TechnicianEntity } from './technician.entity.js';

/** The API's shape of the records (GraphQL and REST alike); relations are ids, resolved by GraphQL. */
export interface OrganizationView {
  id: string;
  name: string;
  kind: OrganizationKind;
  laborRate: MoneyType | null;
  turnaroundDays: number | null;
  createdAt: Date;
}

export interface TechnicianView {
  id: string;
  name: string;
  email: string | null;
  serviceCenterId: string;
  active: boolean;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  organizationId: string;
  technicianId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export const toOrganizationView = (o: OrganizationEntity): OrganizationView =>
  typed({
  id: o.id,
  name: o.name,
  kind: o.kind,
  laborRate: moneyOrNull(o.laborRateAmount, o.laborRateCurrency),
  turnaroundDays: o.turnaroundDays,
  createdAt: o.createdAt,
}, 'Organization');

export const toTechnicianView = (t: TechnicianEntity): TechnicianView =>
  typed({
  id: t.id,
  name: t.name,
  email: t.email,
  serviceCenterId: t.serviceCenterId,
  active: t.active,
}, 'Technician');

export const toApiKeyView = (k: ApiKeyEntity): ApiKeyView =>
  typed({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  organizationId: k.organizationId,
  technicianId: k.technicianId,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
}, 'ApiKey');
