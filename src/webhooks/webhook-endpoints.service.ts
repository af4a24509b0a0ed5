import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { assertAdmin, type Caller } from '../common/auth/caller.js';
import { forbidden, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError, type VersionConflictError } from '../common/errors/error-results.js';
import { PublicEvents } from '../common/events/public-events.js';
import { markAnswerCarriesSecret } from '../common/idempotency/request-scope.js';
import { newId } from '../common/ids.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { bumpVersion } from '../common/lifecycle/version-guard.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { checkWebhookUrl } from './webhook-address.js';
import * as endpoints from './webhook-endpoint.queries.js';
import { WebhookNetwork } from './webhook-network.js';
import { newWebhookSecret, secretPrefix } from './webhook-signature.js';
import type {
  CreateWebhookEndpointInput,
  RotateWebhookSecretInput,
  UpdateWebhookEndpointInput,
} from './webhook.inputs.js';
import {
  toWebhookEndpointView,
  type WebhookEndpointView,
  type WebhookEndpointWithSecretView,
} from './webhook.views.js';

/** How long the old secret keeps signing beside the new one after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;

/**
 * An organization's webhook endpoints (docs/webhooks.md): ADMIN keys manage them, STAFF and
 * READONLY keys read them, and nobody else's exist for the caller (NOT_FOUND comes before the
 * ADMIN-only refusal: a key of another organization learns nothing). The signing secret leaves the
 * server twice at most: in the answer that created it, and in the answer of a rotation.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: PublicEvents,
    private readonly network: WebhookNetwork,
  ) {}

  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<WebhookEndpointView>> {
    assertMayRead(ctx.caller);
    const page = pageRequest(first, after);
    const { rows, count } = await endpoints.listForOrganization(this.db.manager, ctx.caller.organizationId, page);
    return toConnection(rows.map(toWebhookEndpointView), page, count);
  }

  async get(ctx: RequestContext, id: string, field = 'id'): Promise<WebhookEndpointView> {
    return toWebhookEndpointView(await this.ownEndpoint(ctx.caller, id, field));
  }

  async create(
    ctx: RequestContext,
    input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecretView | GenericError> {
    assertAdmin(ctx.caller);
    const refused = (await this.checkUrl(input.url)) ?? this.checkEventTypes(input.eventTypes);
    if (refused) return refused;
    const secret = newWebhookSecret();
    const endpoint = await endpoints.insert(this.db.manager, {
      id: newId(),
      organizationId: ctx.caller.organizationId,
      url: input.url.trim(),
      description: emptyToNull(input.description),
      eventTypes: unique(input.eventTypes ?? []),
      secret,
      secretPrefix: secretPrefix(secret),
    });
    markAnswerCarriesSecret();
    return { endpoint: toWebhookEndpointView(endpoint), secret };
  }

  async update(
    ctx: RequestContext,
    input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointView | GenericError | VersionConflictError> {
    await this.ownEndpoint(ctx.caller, input.id, 'id');
    assertAdmin(ctx.caller);
    const refused =
      (input.url !== undefined ? await this.checkUrl(input.url) : null) ?? this.checkEventTypes(input.eventTypes);
    if (refused) return refused;
    return inTransaction(this.db, async (em) => {
      await bumpVersion(em, 'webhook_endpoints', input.id, input.expectedVersion);
      const updated = await endpoints.update(em, input.id, {
        url: input.url?.trim(),
        description: input.description === undefined ? undefined : emptyToNull(input.description),
        eventTypes: input.eventTypes === undefined ? undefined : unique(input.eventTypes),
        enabled: input.enabled,
      });
      return toWebhookEndpointView(updated);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    await this.ownEndpoint(ctx.caller, id, 'id');
    assertAdmin(ctx.caller);
    await endpoints.remove(this.db.manager, id);
    return true;
  }

  async rotate(
    ctx: RequestContext,
    input: RotateWebhookSecretInput,
  ): Promise<WebhookEndpointWithSecretView | VersionConflictError> {
    await this.ownEndpoint(ctx.caller, input.id, 'id');
    assertAdmin(ctx.caller);
    const secret = newWebhookSecret();
    const result = await inTransaction(this.db, async (em) => {
      await bumpVersion(em, 'webhook_endpoints', input.id, input.expectedVersion);
      return endpoints.rotateSecret(em, input.id, secret, secretPrefix(secret), ROTATION_OVERLAP_MS);
    });
    if (result instanceof ErrorResult) return result as VersionConflictError;
    markAnswerCarriesSecret();
    return { endpoint: toWebhookEndpointView(result), secret };
  }

  /** Endpoints by id for a page of deliveries (the caller's own only: deliveries are listed per organization). */
  async findOwn(caller: Caller, ids: readonly string[]): Promise<(WebhookEndpointView | null)[]> {
    const rows = await endpoints.findByIds(this.db.manager, ids);
    const own = new Map(rows.filter((r) => r.organizationId === caller.organizationId).map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = own.get(id);
      return row ? toWebhookEndpointView(row) : null;
    });
  }

  /** The caller's own endpoint, or NOT_FOUND (another organization's endpoint does not exist for it). */
  async ownEndpoint(caller: Caller, id: string, field: string, em: EntityManager = this.db.manager) {
    assertMayRead(caller);
    const endpoint = await endpoints.findById(em, id);
    if (!endpoint || endpoint.organizationId !== caller.organizationId)
      throw notFound('Webhook endpoint', undefined, field);
    return endpoint;
  }

  private async checkUrl(url: string): Promise<GenericError | null> {
    const checked = await checkWebhookUrl(url.trim(), this.config.webhooks.allowHosts, this.network.resolve);
    return 'reason' in checked
      ? new GenericError(ErrorCode.WEBHOOK_URL_NOT_ALLOWED, `url ${checked.reason}.`, 'url')
      : null;
  }

  private checkEventTypes(eventTypes: string[] | undefined): GenericError | null {
    const index = (eventTypes ?? []).findIndex((name) => !this.events.isKnownType(name));
    if (index < 0) return null;
    return new GenericError(
      ErrorCode.UNKNOWN_EVENT_TYPE,
      `${eventTypes![index]} is not an event type of the catalogue (webhookEventTypes).`,
      `eventTypes.${index}`,
    );
  }
}

/** Endpoints and deliveries are read by the organization's ADMIN, STAFF and READONLY keys; technicians work tickets only. */
export function assertMayRead(caller: Caller): void {
  if (caller.role === 'TECHNICIAN') throw forbidden('A technician key may not read webhook endpoints or deliveries.');
}

const emptyToNull = (text: string | undefined) => (text?.trim() ? text.trim() : null);
const unique = (values: string[]) => [...new Set(values)];
