import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
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
import {
  DeletedWebhookEndpointView,
  RecoveredDeliveriesView,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
  WebhookEventTypeView,
} from '../webhook.views.js';

/** Bodies of the endpoint's actions: the endpoint comes from the path. */
@ApiSchema({ name: 'UpdateWebhookEndpointBody' })
class UpdateBody extends OmitType(UpdateWebhookEndpointInput, ['id'] as const) {}
@ApiSchema({ name: 'RotateWebhookSecretBody' })
class RotateBody extends OmitType(RotateWebhookSecretInput, ['id'] as const) {}
@ApiSchema({ name: 'RecoverWebhookDeliveriesBody' })
class RecoverBody extends OmitType(RecoverWebhookDeliveriesInput, ['endpointId'] as const) {}

/** The page and the filter of GET /webhook-deliveries. */
class DeliveryListQuery extends IntersectionType(PageQuery, WebhookDeliveryFilter) {}

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller()
export class WebhooksController {
  constructor(
    private readonly catalogue: WebhookCatalogue,
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get('webhook-event-types')
  @Operation({
    id: 'listWebhookEventTypes',
    summary: 'The catalogue: every event type, with the JSON Schema of its data',
    ok: [WebhookEventTypeView],
  })
  eventTypes(@Ctx() _ctx: RequestContext) {
    return this.catalogue.eventTypes();
  }

  @Get('webhook-endpoints')
  @Operation({
    id: 'listWebhookEndpoints',
    summary: "The caller organization's endpoints, a page at a time",
    ok: connectionOf(WebhookEndpointView, 'WebhookEndpoint'),
    problems: [403],
  })
  list(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.endpoints.list(ctx, page.first, page.after);
  }

  @Post('webhook-endpoints')
  @Operation({
    id: 'createWebhookEndpoint',
    summary: 'Add an endpoint (ADMIN keys); its signing secret is returned once',
    ok: WebhookEndpointWithSecretView,
    status: 201,
    problems: [403, 422],
  })
  async create(@Ctx() ctx: RequestContext, @Body() input: CreateWebhookEndpointInput) {
    return restResult(await this.endpoints.create(ctx, input));
  }

  @Get('webhook-endpoints/:id')
  @Operation({ id: 'getWebhookEndpoint', summary: 'One endpoint', ok: WebhookEndpointView, problems: [403, 404] })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.endpoints.get(ctx, id);
  }

  @Patch('webhook-endpoints/:id')
  @Operation({
    id: 'updateWebhookEndpoint',
    summary: 'Change the URL, description, event types or enabled flag (ADMIN keys)',
    ok: WebhookEndpointView,
    problems: [403, 404, 422],
  })
  async update(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: UpdateBody) {
    return restResult(await this.endpoints.update(ctx, { ...body, id }));
  }

  @Delete('webhook-endpoints/:id')
  @Operation({
    id: 'deleteWebhookEndpoint',
    summary: 'Delete an endpoint and its deliveries (ADMIN keys)',
    ok: DeletedWebhookEndpointView,
    problems: [403, 404],
  })
  async remove(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return { id, deleted: await this.endpoints.remove(ctx, id) };
  }

  @Post(actionPath('webhook-endpoints', 'rotateSecret'))
  @HttpCode(200)
  @Operation({
    id: 'rotateWebhookSecret',
    summary: 'A new signing secret, returned once; the old one keeps signing beside it for 24 hours',
    ok: WebhookEndpointWithSecretView,
    problems: [403, 404],
  })
  async rotate(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: RotateBody) {
    return restResult(await this.endpoints.rotate(ctx, { ...body, id }));
  }

  @Post(actionPath('webhook-endpoints', 'sendTest'))
  @HttpCode(200)
  @Operation({
    id: 'sendTestWebhook',
    summary: 'Send a webhook.test message to the endpoint now',
    ok: WebhookDeliveryView,
    problems: [403, 404],
  })
  sendTest(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.deliveries.sendTest(ctx, id);
  }

  @Post(actionPath('webhook-endpoints', 'recoverDeliveries'))
  @HttpCode(200)
  @Operation({
    id: 'recoverWebhookDeliveries',
    summary: "Queue again the endpoint's FAILED deliveries created since an instant",
    ok: RecoveredDeliveriesView,
    problems: [403, 404],
  })
  recover(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: RecoverBody) {
    return this.deliveries.recover(ctx, { ...body, endpointId: id });
  }

  @Get('webhook-deliveries')
  @Operation({
    id: 'listWebhookDeliveries',
    summary: "The caller organization's deliveries, newest first, with every attempt",
    ok: connectionOf(WebhookDeliveryView, 'WebhookDelivery'),
    problems: [403, 404],
  })
  listDeliveries(@Ctx() ctx: RequestContext, @Query() query: DeliveryListQuery) {
    const { first, after, ...filter } = query;
    return this.deliveries.list(ctx, filter, first, after);
  }

  @Get('webhook-deliveries/:id')
  @Operation({
    id: 'getWebhookDelivery',
    summary: 'One delivery with every attempt',
    ok: WebhookDeliveryView,
    problems: [403, 404],
  })
  getDelivery(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.deliveries.get(ctx, id);
  }

  @Post(actionPath('webhook-deliveries', 'retry'))
  @HttpCode(200)
  @Operation({
    id: 'retryWebhookDelivery',
    summary: 'Attempt the delivery again now, whatever its status',
    ok: WebhookDeliveryView,
    problems: [403, 404],
  })
  retry(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.deliveries.retry(ctx, id);
  }
}
