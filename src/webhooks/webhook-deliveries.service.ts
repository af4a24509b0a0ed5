import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanWork, type Caller } from '../common/auth/caller.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { newId } from '../common/ids.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import * as deliveries from './webhook-delivery.queries.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { WebhookEndpointsService, assertMayRead } from './webhook-endpoints.service.js';
import { messageBody, messageIdOf } from './webhook-fanout.service.js';
import type { RecoverWebhookDeliveriesInput, WebhookDeliveryFilter } from './webhook.inputs.js';
import { toWebhookDeliveryView, type WebhookDeliveryView } from './webhook.views.js';

/**
 * The delivery log (docs/webhooks.md): an organization's deliveries with every attempt, a manual
 * retry, the recovery of an endpoint's failed deliveries and the test message. STAFF and ADMIN
 * keys retry, recover and test; READONLY keys read.
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly db: DataSource,
    private readonly endpoints: WebhookEndpointsService,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async list(
    ctx: RequestContext,
    filter: WebhookDeliveryFilter = {},
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<WebhookDeliveryView>> {
    assertMayRead(ctx.caller);
    const page = pageRequest(first, after);
    if (filter.endpointId) await this.endpoints.ownEndpoint(ctx.caller, filter.endpointId, 'filter.endpointId');
    const { rows, count } = await deliveries.listForOrganization(
      this.db.manager,
      ctx.caller.organizationId,
      filter,
      page,
    );
    return toConnection(rows.map(toWebhookDeliveryView), page, count);
  }

  async get(ctx: RequestContext, id: string, field = 'id'): Promise<WebhookDeliveryView> {
    return toWebhookDeliveryView(await this.ownDelivery(ctx.caller, id, field));
  }

  /** Attempts the delivery again now, whatever its status; answers with the attempt recorded. */
  async retry(ctx: RequestContext, id: string): Promise<WebhookDeliveryView> {
    await this.ownDelivery(ctx.caller, id, 'id');
    assertCanWork(ctx.caller);
    await this.dispatcher.attemptNow(id);
    return this.get(ctx, id);
  }

  /** Queues again every FAILED delivery of the endpoint created since `since`. */
  async recover(ctx: RequestContext, input: RecoverWebhookDeliveriesInput): Promise<{ count: number }> {
    await this.endpoints.ownEndpoint(ctx.caller, input.endpointId, 'endpointId');
    assertCanWork(ctx.caller);
    if (input.since.getTime() > Date.now()) throw badInput('since', 'since must not be in the future.');
    const count = await deliveries.requeueFailed(this.db.manager, input.endpointId, input.since);
    if (count > 0) this.dispatcher.wake();
    return { count };
  }

  /** Sends a webhook.test message to the endpoint now, whatever its filter; answers with the attempt recorded. */
  async sendTest(ctx: RequestContext, endpointId: string): Promise<WebhookDeliveryView> {
    const endpoint = await this.endpoints.get(ctx, endpointId, 'endpointId');
    assertCanWork(ctx.caller);
    const id = newId();
    await deliveries.insertDeliveries(
      this.db.manager,
      [
        {
          id,
          endpointId,
          organizationId: ctx.caller.organizationId,
          eventId: null,
          messageId: messageIdOf(id),
          eventType: 'webhook.test',
          body: messageBody('webhook.test', new Date(), endpoint),
          status: 'PENDING',
          // written leased, so the dispatcher's next claim cannot take it before the attempt below does
          leaseToken: randomUUID(),
        },
      ],
      this.dispatcher.leaseMs(),
    );
    await this.dispatcher.attemptNow(id);
    return this.get(ctx, id);
  }

  private async ownDelivery(caller: Caller, id: string, field: string) {
    assertMayRead(caller);
    const delivery = await deliveries.findDelivery(this.db.manager, id);
    if (!delivery || delivery.organizationId !== caller.organizationId)
      throw notFound('Webhook delivery', undefined, field);
    return delivery;
  }
}
