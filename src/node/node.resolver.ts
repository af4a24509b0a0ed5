import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { NodeInterface } from '../common/graphql/node.js';
import { isUuid } from '../common/ids.js';
import { Ctx, type RequestContext } from '../common/request-context/request-context.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { ProductsService } from '../products/products.service.js';
import { RepairsService } from '../repairs/repairs.service.js';
import { ReturnsService } from '../returns/returns.service.js';
import { UnitsService } from '../units/units.service.js';
import { UpgradesService } from '../upgrades/upgrades.service.js';
import { ClaimsService } from '../warranty/claims.service.js';
import { JourneysService } from '../outreach/journeys.service.js';
import { OutreachMessagesService } from '../outreach/outreach-messages.service.js';
import { SurveysService } from '../outreach/surveys.service.js';
import { WebhookDeliveriesService } from '../webhooks/webhook-deliveries.service.js';
import { WebhookEndpointsService } from '../webhooks/webhook-endpoints.service.js';
import { findNodeType, type NodeTypeName } from './node.queries.js';

type NodeLoader = (ctx: RequestContext, id: string) => Promise<unknown>;

/**
 * Relay's node(id). Ids are UUIDs shared by every table, so one query finds which table holds
 * the id; then the owning module answers with its own visibility rules. Whatever the caller may
 * not see answers exactly as an id that exists nowhere (same message, code and field), so node(id)
 * does not tell which kind of record another organization holds.
 */
@Resolver()
export class NodeResolver {
  constructor(
    private readonly db: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly products: ProductsService,
    private readonly units: UnitsService,
    private readonly claims: ClaimsService,
    private readonly repairs: RepairsService,
    private readonly returns: ReturnsService,
    private readonly upgrades: UpgradesService,
    private readonly webhookEndpoints: WebhookEndpointsService,
    private readonly webhookDeliveries: WebhookDeliveriesService,
    private readonly journeys: JourneysService,
    private readonly outreachMessages: OutreachMessagesService,
    private readonly surveys: SurveysService,
  ) {}

  /** How each type of node is read, through its module's service; a null answer is a node the caller does not see. */
  private readonly loaders: Record<NodeTypeName, NodeLoader> = {
    Organization: (ctx, id) => this.organizations.getOrganization(ctx, id),
    Product: (_ctx, id) => this.products.getProduct(id),
    ServicePlan: (_ctx, id) => this.products.getServicePlan(id),
    Unit: (ctx, id) => this.units.getUnit(ctx, id),
    Technician: (ctx, id) => this.organizations.getTechnician(ctx, id),
    ApiKey: async (ctx, id) => (id === ctx.caller.apiKeyId ? this.organizations.me(ctx) : null),
    WarrantyClaim: (ctx, id) => this.claims.get(ctx, id),
    RepairTicket: (ctx, id) => this.repairs.get(ctx, id),
    ReturnAuthorization: (ctx, id) => this.returns.get(ctx, id),
    ReturnPolicy: async (ctx, id) => (await this.returns.listPolicies(ctx)).find((p) => p.id === id),
    UpgradeProgram: async (_ctx, id) => (await this.upgrades.findPrograms([id]))[0],
    UpgradeRequest: (ctx, id) => this.upgrades.get(ctx, id),
    WebhookEndpoint: (ctx, id) => hiddenWhenForbidden(() => this.webhookEndpoints.get(ctx, id)),
    WebhookDelivery: (ctx, id) => hiddenWhenForbidden(() => this.webhookDeliveries.get(ctx, id)),
    OutreachJourney: (ctx, id) => hiddenWhenForbidden(() => this.journeys.get(ctx, id)),
    OutreachMessage: (ctx, id) => hiddenWhenForbidden(() => this.outreachMessages.get(ctx, id)),
    SurveyResponse: (ctx, id) => hiddenWhenForbidden(() => this.surveys.get(ctx, id)),
  };

  @Query(() => NodeInterface, { nullable: true })
  async node(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    try {
      return await this.find(ctx, id);
    } catch (error) {
      if (error instanceof DomainError && error.category === 'NOT_FOUND') notFoundNode();
      throw error;
    }
  }

  private async find(ctx: RequestContext, id: string) {
    const type = isUuid(id) ? await findNodeType(this.db.manager, id) : null;
    const node = type ? await this.loaders[type](ctx, id) : null;
    return node ?? notFoundNode();
  }
}

/**
 * Webhooks and outreach are FORBIDDEN to some callers as a whole (a service center has no journeys);
 * through node(id) that would tell such a caller that the id exists, so it reads as not found.
 */
async function hiddenWhenForbidden<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DomainError && error.category === 'FORBIDDEN') return null;
    throw error;
  }
}

function notFoundNode(): never {
  throw notFound('Node', undefined, 'id');
}
