import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { generateApiKeySecret } from '../common/auth/api-key-secret.js';
import { AuthService } from '../common/auth/auth.service.js';
import { assertAdmin, isPlatform, type Caller } from '../common/auth/caller.js';
import { badInput, forbidden, notFound } from '../common/errors/domain-error.js';
import { markAnswerCarriesSecret } from '../common/idempotency/request-scope.js';
import { newId } from '../common/ids.js';
import { money } from '../common/money/money.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import type { CreateApiKeyInput, CreateOrganizationInput, CreateTechnicianInput } from './organization.inputs.js';
import {
  toApiKeyView,
  toOrganizationView,
  toTechnicianView,
  type ApiKeyView,
  type OrganizationView,
  type TechnicianView,
} from './organization.views.js';
import { canSeeOrganization, canSeeTechnician } from './organization-visibility.js';
import type { OrganizationEntity, OrganizationKind } from './organization.entity.js';
import {
  findApiKey,
  findOrganization,
  findOrganizationsById,
  findTechnician,
  findTechniciansById,
  insertApiKey,
  insertOrganization,
  insertTechnician,
  listApiKeys,
  listOrganizations,
  listTechnicians,
  loadApiKey,
  revokeApiKey,
} from './organizations.queries.js';

export interface DirectoryFilter {
  kind?: OrganizationKind | null;
  name?: string | null;
}

/**
 * Organizations, their API keys and technicians. The organization directory (name, kind, labor
 * rate) is readable by every organization: retailers route repairs to service centers and the
 * catalog names its manufacturers. Keys and technicians stay inside their organization.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly db: DataSource,
    private readonly auth: AuthService,
  ) {}

  async createOrganization(ctx: RequestContext, input: CreateOrganizationInput): Promise<OrganizationView> {
    if (!isPlatform(ctx.caller)) throw forbidden('Only the platform operator creates organizations.');
    assertAdmin(ctx.caller);
    if (input.kind !== 'SERVICE_CENTER') {
      if (input.laborRate) throw badInput('laborRate', 'laborRate applies to service centers only.');
      if (input.turnaroundDays !== undefined && input.turnaroundDays !== null)
        throw badInput('turnaroundDays', 'turnaroundDays applies to service centers only.');
    }
    const labor = input.laborRate ? money(input.laborRate.amount, input.laborRate.currency) : null;
    return this.db.transaction(async (em) => {
      const saved = await insertOrganization(em, {
        id: newId(),
        name: input.name.trim(),
        kind: input.kind,
        laborRateAmount: labor?.amount ?? null,
        laborRateCurrency: labor?.currency ?? null,
        turnaroundDays: input.kind === 'SERVICE_CENTER' ? (input.turnaroundDays ?? 7) : null,
      });
      await recordEvents(em, ctx.caller, [
        {
          type: 'OrganizationCreated',
          aggregateType: 'Organization',
          aggregateId: saved.id,
          payload: { name: saved.name, kind: saved.kind },
        },
      ]);
      return toOrganizationView(saved);
    });
  }

  /** Any organization but the platform's own is visible to every caller (organization-visibility.ts). */
  async getOrganization(ctx: RequestContext, id: string): Promise<OrganizationView> {
    const [organization] = await this.findOrganizations([id]);
    if (!organization || !canSeeOrganization(ctx.caller, organization)) throw notFound('Organization', undefined, 'id');
    return organization;
  }

  /**
   * The directory: the organizations the caller sees, by kind and by a case-insensitive prefix of
   * the name, a page at a time in id order. Every key may read it.
   */
  async listOrganizations(
    ctx: RequestContext,
    filter: DirectoryFilter,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<OrganizationView>> {
    const page = pageRequest(first, after);
    const namePrefix = directoryName(filter.name);
    const { rows, count } = await listOrganizations(this.db.manager, ctx.caller, page, {
      kind: filter.kind ?? null,
      namePrefix,
    });
    return toConnection(rows.map(toOrganizationView), page, count);
  }

  async findOrganizations(ids: readonly string[]): Promise<(OrganizationView | null)[]> {
    const rows = await findOrganizationsById(this.db.manager, ids);
    const index = new Map(rows.map((row) => [row.id, toOrganizationView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  async createApiKey(ctx: RequestContext, input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyView; secret: string }> {
    const organization = await this.manageableOrganization(ctx.caller, input.organizationId, 'organizationId');
    await this.checkKeyTechnician(organization, input);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      throw badInput('expiresAt', 'expiresAt must be in the future.');
    const { secret, prefix, hash } = generateApiKeySecret();
    return this.db.transaction(async (em) => {
      const saved = await insertApiKey(em, {
        id: newId(),
        organizationId: organization.id,
        technicianId: input.technicianId ?? null,
        name: input.name.trim(),
        role: input.role,
        prefix,
        secretHash: hash,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
      });
      await recordEvents(em, ctx.caller, [
        {
          type: 'ApiKeyCreated',
          aggregateType: 'ApiKey',
          aggregateId: saved.id,
          payload: { organizationId: organization.id, role: saved.role, prefix },
        },
      ]);
      // the secret is shown once: an Idempotency-Key replay must not keep or repeat it
      markAnswerCarriesSecret();
      return { apiKey: toApiKeyView(saved), secret };
    });
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKeyView> {
    const key = await findApiKey(this.db.manager, id);
    if (!key || (!isPlatform(ctx.caller) && key.organizationId !== ctx.caller.organizationId))
      throw notFound('API key', undefined, 'id');
    assertAdmin(ctx.caller);
    if (key.revokedAt) return toApiKeyView(key);
    return this.db.transaction(async (em) => {
      const saved = await revokeApiKey(em, id);
      this.auth.forget(id);
      await recordEvents(em, ctx.caller, [
        {
          type: 'ApiKeyRevoked',
          aggregateType: 'ApiKey',
          aggregateId: id,
          payload: { organizationId: key.organizationId },
        },
      ]);
      return toApiKeyView(saved);
    });
  }

  /**
   * The caller organization's keys, revoked and expired ones included, never their secrets (only
   * a hash is stored, and it is not read). Listing keys is managing them: ADMIN keys only
   * (docs/decisions.md); any key reads itself through me. The platform lists its own keys.
   */
  async listApiKeys(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<ApiKeyView>> {
    assertAdmin(ctx.caller);
    const page = pageRequest(first, after);
    const { rows, count } = await listApiKeys(this.db.manager, ctx.caller.organizationId, page);
    return toConnection(rows.map(toApiKeyView), page, count);
  }

  async me(ctx: RequestContext): Promise<ApiKeyView> {
    return toApiKeyView(await loadApiKey(this.db.manager, ctx.caller.apiKeyId));
  }

  async createTechnician(ctx: RequestContext, input: CreateTechnicianInput): Promise<TechnicianView> {
    const center = await this.manageableOrganization(ctx.caller, input.serviceCenterId, 'serviceCenterId');
    if (center.kind !== 'SERVICE_CENTER')
      throw badInput('serviceCenterId', 'serviceCenterId must be a service center.');
    return this.db.transaction(async (em) => {
      const technician = await insertTechnician(em, {
        id: newId(),
        serviceCenterId: center.id,
        name: input.name.trim(),
        email: input.email?.trim() ?? null,
        active: true,
      });
      await recordEvents(em, ctx.caller, [
        {
          type: 'TechnicianCreated',
          aggregateType: 'Technician',
          aggregateId: technician.id,
          payload: { serviceCenterId: center.id, name: technician.name },
        },
      ]);
      return toTechnicianView(technician);
    });
  }

  /** A technician, seen by its service center and the platform (organization-visibility.ts). */
  async getTechnician(ctx: RequestContext, id: string): Promise<TechnicianView> {
    const [technician] = await this.findTechnicians([id]);
    if (!technician || !canSeeTechnician(ctx.caller, technician)) throw notFound('Technician', undefined, 'id');
    return technician;
  }

  /** A service center sees its technicians; the platform sees all; nobody else sees any. */
  async listTechnicians(ctx: RequestContext, serviceCenterId?: string | null): Promise<TechnicianView[]> {
    const caller = ctx.caller;
    let centerId = serviceCenterId ?? null;
    if (!isPlatform(caller)) {
      if (centerId && centerId !== caller.organizationId)
        throw notFound('Service center', undefined, 'serviceCenterId');
      if (caller.organizationKind !== 'SERVICE_CENTER') return [];
      centerId = caller.organizationId;
    }
    return (await listTechnicians(this.db.manager, centerId)).map(toTechnicianView);
  }

  async findTechnicians(ids: readonly string[]): Promise<(TechnicianView | null)[]> {
    const rows = await findTechniciansById(this.db.manager, ids);
    const index = new Map(rows.map((row) => [row.id, toTechnicianView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  /** An ADMIN key manages its own organization; the platform's ADMIN keys manage every organization. */
  private async manageableOrganization(
    caller: Caller,
    organizationId: string,
    field: string,
  ): Promise<OrganizationEntity> {
    const organization = await findOrganization(this.db.manager, organizationId);
    if (!organization || !canSeeOrganization(caller, organization)) throw notFound('Organization', undefined, field);
    if (!isPlatform(caller) && organization.id !== caller.organizationId)
      throw forbidden('An organization manages only its own keys and technicians.');
    assertAdmin(caller);
    return organization;
  }

  /** A TECHNICIAN key names an active technician of the organization (a service center); other keys name none. */
  private async checkKeyTechnician(organization: OrganizationEntity, input: CreateApiKeyInput): Promise<void> {
    if (input.role !== 'TECHNICIAN') {
      if (input.technicianId) throw badInput('technicianId', 'technicianId applies to TECHNICIAN keys only.');
      return;
    }
    if (!input.technicianId) throw badInput('technicianId', 'technicianId is required for a TECHNICIAN key.');
    const technician = await findTechnician(this.db.manager, input.technicianId);
    if (!technician || technician.serviceCenterId !== organization.id) {
      throw badInput('technicianId', 'technicianId must be a technician of this service center.');
    }
    if (!technician.active) throw badInput('technicianId', 'The technician is not active.');
  }
}

/** The directory's name filter, trimmed; null when not given. A blank or overlong one is refused naming `name`. */
function directoryName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (!trimmed)
    throw badInput(
      'name',
      "name must not be blank: give the first letters of the organization's name, or leave name out.",
    );
  if (trimmed.length > 200) throw badInput('name', 'name must be at most 200 characters.');
  return trimmed;
}
