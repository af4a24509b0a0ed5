import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { generateApiKeySecret } from '../common/auth/api-key-secret.js';
import { AuthService } from '../common/auth/auth.service.js';
import { assertAdmin, isPlatform, type Caller } from '../common/auth/caller.js';
import { badInput, forbidden, notFound } from '../common/errors/domain-error.js';
import { markAnswerCarriesSecret } from '../common/idempotency/request-scope.js';
import { newId } from '../common/ids.js';
import { money } from '../common/money/money.js';
import { recordEvents } from '../common/outbox/outbox.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { ApiKeyEntity } from './api-key.entity.js';
import type { CreateApiKeyInput, CreateOrganizationInput, CreateTechnicianInput } from './organization.inputs.js';
import { toApiKeyView, toOrganizationView, toTechnicianView, type ApiKeyView, type OrganizationView, type TechnicianView } from './organization.views.js';
import { OrganizationEntity } from './organization.entity.js';
import { TechnicianEntity } from './technician.entity.js';

/**
 * Organizations, their API keys and technicians. The organization directory (name, kind, labor
 * rate) is readable by every organization: retailers route repairs to service centers and the
 * catalog names its manufacturers. Keys and technicians stay inside their organization.
 */
@Injectable()
export class OrganizationsService {
  constructor(private readonly db: DataSource, private readonly auth: AuthService) {}

  async createOrganization(ctx: RequestContext, input: CreateOrganizationInput): Promise<OrganizationView> {
    if (!isPlatform(ctx.caller)) throw forbidden('Only the platform operator creates organizations.');
    assertAdmin(ctx.caller);
    if (input.kind !== 'SERVICE_CENTER') {
      if (input.laborRate) throw badInput('laborRate', 'laborRate applies to service centers only.');
      if (input.turnaroundDays !== undefined && input.turnaroundDays !== null) throw badInput('turnaroundDays', 'turnaroundDays applies to service centers only.');
    }
    const labor = input.laborRate ? money(input.laborRate.amount, input.laborRate.currency) : null;
    return this.db.transaction(async (em) => {
      const organization = em.create(OrganizationEntity, {
        id: newId(),
        name: input.name.trim(),
        kind: input.kind,
        laborRateAmount: labor?.amount ?? null,
        laborRateCurrency: labor?.currency ?? null,
        turnaroundDays: input.kind === 'SERVICE_CENTER' ? (input.turnaroundDays ?? 7) : null,
      });
      await em.insert(OrganizationEntity, organization);
      const saved = await em.findOneByOrFail(OrganizationEntity, { id: organization.id });
      await recordEvents(em, ctx.caller, [{ type: 'OrganizationCreated', aggregateType: 'Organization', aggregateId: saved.id, payload: { name: saved.name, kind: saved.kind } }]);
      return toOrganizationView(saved);
    });
  }

  /** Any organization but the platform's own is visible to every caller. */
  async getOrganization(ctx: RequestContext, id: string): Promise<OrganizationView> {
    const [organization] = await this.findOrganizations([id]);
    if (!organization || (organization.kind === 'PLATFORM' && !isPlatform(ctx.caller))) throw notFound('Organization', undefined, 'id');
    return organization;
  }

  async findOrganizations(ids: readonly string[]): Promise<(OrganizationView | null)[]> {
    const rows = await this.db.getRepository(OrganizationEntity).findBy({ id: In([...ids]) });
    const index = new Map(rows.map((row) => [row.id, toOrganizationView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  async createApiKey(ctx: RequestContext, input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyView; secret: string }> {
    const organization = await this.manageableOrganization(ctx.caller, input.organizationId, 'organizationId');
    if (input.role === 'TECHNICIAN') {
      if (!input.technicianId) throw badInput('technicianId', 'technicianId is required for a TECHNICIAN key.');
      const technician = await this.db.getRepository(TechnicianEntity).findOneBy({ id: input.technicianId });
      if (!technician || technician.serviceCenterId !== organization.id) {
        throw badInput('technicianId', 'technicianId must be a technician of this service center.');
      }
      if (!technician.active) throw badInput('technicianId', 'The technician is not active.');
    } else if (input.technicianId) {
      throw badInput('technicianId', 'technicianId applies to TECHNICIAN keys only.');
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badInput('expiresAt', 'expiresAt must be in the future.');
    const { secret, prefix, hash } = generateApiKeySecret();
    return this.db.transaction(async (em) => {
      const key = em.create(ApiKeyEntity, {
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
      await em.insert(ApiKeyEntity, key);
      const saved = await em.findOneByOrFail(ApiKeyEntity, { id: key.id });
      await recordEvents(em, ctx.caller, [{ type: 'ApiKeyCreated', aggregateType: 'ApiKey', aggregateId: saved.id, payload: { organizationId: organization.id, role: saved.role, prefix } }]);
      // the secret is shown once: an Idempotency-Key replay must not keep or repeat it
      markAnswerCarriesSecret();
      return { apiKey: toApiKeyView(saved), secret };
    });
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKeyView> {
    const key = await this.db.getRepository(ApiKeyEntity).findOneBy({ id });
    if (!key || (!isPlatform(ctx.caller) && key.organizationId !== ctx.caller.organizationId)) throw notFound('API key', undefined, 'id');
    assertAdmin(ctx.caller);
    if (key.revokedAt) return toApiKeyView(key);
    return this.db.transaction(async (em) => {
      await em.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
      this.auth.forget(id);
      const saved = await em.findOneByOrFail(ApiKeyEntity, { id });
      await recordEvents(em, ctx.caller, [{ type: 'ApiKeyRevoked', aggregateType: 'ApiKey', aggregateId: id, payload: { organizationId: key.organizationId } }]);
      return toApiKeyView(saved);
    });
  }

  async me(ctx: RequestContext): Promise<ApiKeyView> {
    return toApiKeyView(await this.db.getRepository(ApiKeyEntity).findOneByOrFail({ id: ctx.caller.apiKeyId }));
  }

  async createTechnician(ctx: RequestContext, input: CreateTechnicianInput): Promise<TechnicianView> {
    const center = await this.manageableOrganization(ctx.caller, input.serviceCenterId, 'serviceCenterId');
    if (center.kind !== 'SERVICE_CENTER') throw badInput('serviceCenterId', 'serviceCenterId must be a service center.');
    return this.db.transaction(async (em) => {
      const technician = em.create(TechnicianEntity, {
        id: newId(),
        serviceCenterId: center.id,
        name: input.name.trim(),
        email: input.email?.trim() ?? null,
        active: true,
      });
      await em.insert(TechnicianEntity, technician);
      await recordEvents(em, ctx.caller, [{ type: 'TechnicianCreated', aggregateType: 'Technician', aggregateId: technician.id, payload: { serviceCenterId: center.id, name: technician.name } }]);
      return toTechnicianView(await em.findOneByOrFail(TechnicianEntity, { id: technician.id }));
    });
  }

  /** A service center sees its technicians; the platform sees all; nobody else sees any. */
  async listTechnicians(ctx: RequestContext, serviceCenterId?: string | null): Promise<TechnicianView[]> {
    const caller = ctx.caller;
    let centerId = serviceCenterId ?? null;
    if (!isPlatform(caller)) {
      if (centerId && centerId !== caller.organizationId) throw notFound('Service center', undefined, 'serviceCenterId');
      if (caller.organizationKind !== 'SERVICE_CENTER') return [];
      centerId = caller.organizationId;
    }
    const rows = await this.db.getRepository(TechnicianEntity).find({
      where: centerId ? { serviceCenterId: centerId } : {},
      order: { id: 'ASC' },
      take: 1000,
    });
    return rows.map(toTechnicianView);
  }

  async findTechnicians(ids: readonly string[]): Promise<(TechnicianView | null)[]> {
    const rows = await this.db.getRepository(TechnicianEntity).findBy({ id: In([...ids]) });
    const index = new Map(rows.map((row) => [row.id, toTechnicianView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  /** An ADMIN key manages its own organization; the platform's ADMIN keys manage every organization. */
  private async manageableOrganization(caller: Caller, organizationId: string, field: string): Promise<OrganizationEntity> {
    const organization = await this.db.getRepository(OrganizationEntity).findOneBy({ id: organizationId });
    if (!organization || (organization.kind === 'PLATFORM' && !isPlatform(caller))) throw notFound('Organization', undefined, field);
    if (!isPlatform(caller) && organization.id !== caller.organizationId) throw forbidden('An organization manages only its own keys and technicians.');
    assertAdmin(caller);
    return organization;
  }
}
