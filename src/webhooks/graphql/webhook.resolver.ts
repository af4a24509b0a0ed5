import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { loadersOf } from '../../common/graphql/loaders.js';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { WebhookCatalogue } from '../webhook-catalogue.service.js';
import { WebhookDeliveriesService } from '../webhook-deliveries.service.js';
import { WebhookEndpointsService } from '../webhook-endpoints.service.js';
import {
  CreateWebhookEndpointInput,
  RecoverWebhookDeliveriesInput,
  RotateWebhookSecretInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryFilter,
} from '../webhook.inputs.js';
import type { WebhookDeliveryView, WebhookEndpointView } from '../webhook.views.js';
import {
  CreateWebhookEndpointResult,
  RecoveredDeliveriesType,
  RotateWebhookSecretResult,
  UpdateWebhookEndpointResult,
  WebhookDeliveryConnection,
  WebhookDeliveryType,
  WebhookEndpointConnection,
  WebhookEndpointType,
  WebhookEventTypeType,
} from './webhook.types.js';

@Resolver(() => WebhookEndpointType)
export class WebhookEndpointResolver {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly catalogue: WebhookCatalogue,
  ) {}

  @Query(() => [WebhookEventTypeType])
  webhookEventTypes(@Ctx() _ctx: RequestContext) {
    return this.catalogue.eventTypes();
  }

  @Query(() => WebhookEndpointConnection, { description: "The caller organization's endpoints." })
  webhookEndpoints(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.endpoints.list(ctx, first, after);
  }

  @Mutation(() => CreateWebhookEndpointResult)
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('input') input: CreateWebhookEndpointInput) {
    return this.endpoints.create(ctx, input);
  }

  @Mutation(() => UpdateWebhookEndpointResult)
  updateWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('input') input: UpdateWebhookEndpointInput) {
    return this.endpoints.update(ctx, input);
  }

  @Mutation(() => Boolean)
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.endpoints.remove(ctx, id);
  }

  @Mutation(() => RotateWebhookSecretResult, {
    description:
      'A new secret, shown once; the old one keeps signing beside it (two signatures in webhook-signature) for 24 hours.',
  })
  rotateWebhookSecret(@Ctx() ctx: RequestContext, @Args('input') input: RotateWebhookSecretInput) {
    return this.endpoints.rotate(ctx, input);
  }
}

@Resolver(() => WebhookDeliveryType)
export class WebhookDeliveryResolver {
  constructor(
    private readonly deliveries: WebhookDeliveriesService,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  @Query(() => WebhookDeliveryConnection, { description: "The caller organization's deliveries, newest first." })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => WebhookDeliveryFilter, nullable: true }) filter?: WebhookDeliveryFilter,
  ) {
    return this.deliveries.list(ctx, filter ?? {}, first, after);
  }

  @Query(() => WebhookDeliveryType, { nullable: true })
  webhookDelivery(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.deliveries.get(ctx, id);
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Sends a webhook.test event to the endpoint now.' })
  sendTestWebhook(
    @Ctx() ctx: RequestContext,
    @Args('endpointId', { type: () => ID }, uuidArg('endpointId')) endpointId: string,
  ) {
    return this.deliveries.sendTest(ctx, endpointId);
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Attempts one delivery again now, whatever its status.' })
  retryWebhookDelivery(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.deliveries.retry(ctx, id);
  }

  @Mutation(() => RecoveredDeliveriesType)
  recoverWebhookDeliveries(@Ctx() ctx: RequestContext, @Args('input') input: RecoverWebhookDeliveriesInput) {
    return this.deliveries.recover(ctx, input);
  }

  @ResolveField(() => WebhookEndpointType)
  endpoint(@Parent() delivery: WebhookDeliveryView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadersOf(req)
      .get<string, WebhookEndpointView | null>('webhookEndpoint', (ids) => this.endpoints.findOwn(ctx.caller, ids))
      .load(delivery.endpointId);
  }
}
