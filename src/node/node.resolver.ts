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
  ) {}

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
    if (!isUuid(id)) notFoundNode();
    const [hit] = await this.db.query(
      `SELECT 'Organization' AS type FROM organizations WHERE id = $1
       UNION ALL SELECT 'Product' FROM products WHERE id = $1
       UNION ALL SELECT 'ServicePlan' FROM service_plans WHERE id = $1
       UNION ALL SELECT 'Unit' FROM units WHERE id = $1
       UNION ALL SELECT 'Technician' FROM technicians WHERE id = $1
       UNION ALL SELECT 'ApiKey' FROM api_keys WHERE id = $1
       UNION ALL SELECT 'WarrantyClaim' FROM warranty_claims WHERE id = $1
       UNION ALL SELECT 'RepairTicket' FROM repair_tickets WHERE id = $1
       UNION ALL SELECT 'ReturnAuthorization' FROM return_authorizations WHERE id = $1
       UNION ALL SELECT 'ReturnPolicy' FROM return_policies WHERE id = $1
       UNION ALL SELECT 'UpgradeProgram' FROM upgrade_programs WHERE id = $1
       UNION ALL SELECT 'UpgradeRequest' FROM upgrade_requests WHERE id = $1
       LIMIT 1`,
      [id],
    );
    switch (hit?.type) {
      case 'Organization':
        return this.organizations.getOrganization(ctx, id);
      case 'Product':
        return this.products.getProduct(id);
      case 'ServicePlan':
        return (await this.products.getServicePlan(id)) ?? notFoundNode();
      case 'Unit':
        return this.units.getUnit(ctx, id);
      case 'Technician':
        return this.technician(ctx, id);
      case 'WarrantyClaim':
        return this.claims.get(ctx, id);
      case 'RepairTicket':
        return this.repairs.get(ctx, id);
      case 'ReturnAuthorization':
        return this.returns.get(ctx, id);
      case 'UpgradeProgram':
        return (await this.upgrades.findPrograms([id]))[0] ?? notFoundNode();
      case 'UpgradeRequest':
        return this.upgrades.get(ctx, id);
      case 'ReturnPolicy':
        return (await this.returns.listPolicies(ctx)).find((p) => p.id === id) ?? notFoundNode();
      case 'ApiKey':
        if (id === ctx.caller.apiKeyId) return this.organizations.me(ctx);
        return notFoundNode();
      default:
        return notFoundNode();
    }
  }

  /** A technician is visible to its own service center and to the platform. */
  private async technician(ctx: RequestContext, id: string) {
    const [technician] = await this.organizations.findTechnicians([id]);
    const visible =
      technician &&
      (ctx.caller.organizationKind === 'PLATFORM' || technician.serviceCenterId === ctx.caller.organizationId);
    return visible ? technician : notFoundNode();
  }
}

function notFoundNode(): never {
  throw notFound('Node', undefined, 'id');
}
