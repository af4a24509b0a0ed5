import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { ProductType } from '../../products/graphql/product.types.js';
import { loadProduct } from '../../products/product-loaders.js';
import { ProductsService } from '../../products/products.service.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit, loadVisibleUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import {
  CompleteUpgradeInput,
  CreateUpgradeProgramInput,
  ReceiveTradeInInput,
  RequestUpgradeInput,
  UpgradeRequestFilter,
} from '../upgrade.inputs.js';
import type { UpgradeEligibilityView, UpgradeProgramView, UpgradeRequestView } from '../upgrade.views.js';
import { UpgradesService } from '../upgrades.service.js';
import {
  CompleteUpgradeResult,
  RequestUpgradeResult,
  UpgradeEligibilityType,
  UpgradeProgramType,
  UpgradeRequestConnection,
  UpgradeRequestType,
} from './upgrade.types.js';

@Resolver(() => UpgradeRequestType)
export class UpgradeResolver {
  constructor(
    private readonly upgrades: UpgradesService,
    private readonly units: UnitsService,
    private readonly products: ProductsService,
  ) {}

  @Query(() => [UpgradeProgramType])
  upgradePrograms(@Ctx() ctx: RequestContext) {
    return this.upgrades.listPrograms(ctx);
  }

  @Query(() => UpgradeEligibilityType)
  upgradeEligibility(
    @Ctx() ctx: RequestContext,
    @Args('unitId', { type: () => ID }, uuidArg('unitId')) unitId: string,
    @Args('asOf', { type: () => DateScalarType, nullable: true }) asOf?: string,
  ) {
    return this.upgrades.eligibility(ctx, unitId, asOf ?? undefined);
  }

  @Query(() => UpgradeRequestType, { nullable: true })
  upgradeRequest(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.upgrades.get(ctx, id);
  }

  @Query(() => UpgradeRequestConnection, { description: 'Upgrade requests the caller may see.' })
  upgradeRequests(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => UpgradeRequestFilter, nullable: true }) filter?: UpgradeRequestFilter,
  ) {
    return this.upgrades.list(ctx, first, after, filter);
  }

  @Mutation(() => UpgradeProgramType)
  createUpgradeProgram(@Ctx() ctx: RequestContext, @Args('input') input: CreateUpgradeProgramInput) {
    return this.upgrades.createProgram(ctx, input);
  }

  @Mutation(() => RequestUpgradeResult)
  requestUpgrade(@Ctx() ctx: RequestContext, @Args('input') input: RequestUpgradeInput) {
    return this.upgrades.request(ctx, input);
  }

  @Mutation(() => CompleteUpgradeResult, {
    description: 'Logs the trade-in as received before the upgrade is completed.',
  })
  receiveTradeIn(@Ctx() ctx: RequestContext, @Args('input') input: ReceiveTradeInInput) {
    return this.upgrades.receiveTradeIn(ctx, input);
  }

  @Mutation(() => CompleteUpgradeResult)
  completeUpgrade(@Ctx() ctx: RequestContext, @Args('input') input: CompleteUpgradeInput) {
    return this.upgrades.complete(ctx, input);
  }

  @Mutation(() => CompleteUpgradeResult)
  cancelUpgrade(
    @Ctx() ctx: RequestContext,
    @Args('upgradeId', { type: () => ID }, uuidArg('upgradeId')) upgradeId: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ) {
    return this.upgrades.cancel(ctx, upgradeId, expectedVersion);
  }

  @ResolveField(() => UnitType)
  unit(@Ctx() ctx: RequestContext, @Parent() upgrade: UpgradeRequestView, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, upgrade.unitId);
  }

  @ResolveField(() => UnitType, { nullable: true })
  newUnit(@Ctx() ctx: RequestContext, @Parent() upgrade: UpgradeRequestView, @Context('req') req: FastifyRequest) {
    return upgrade.newUnitId ? loadVisibleUnit(req, ctx.caller, this.units, upgrade.newUnitId) : null;
  }

  @ResolveField(() => UpgradeProgramType)
  async program(@Parent() upgrade: UpgradeRequestView) {
    return (await this.upgrades.findPrograms([upgrade.programId]))[0];
  }

  @ResolveField(() => ProductType)
  targetProduct(@Parent() upgrade: UpgradeRequestView, @Context('req') req: FastifyRequest) {
    return loadProduct(req, this.products, upgrade.targetProductId);
  }
}

@Resolver(() => UpgradeProgramType)
export class UpgradeProgramResolver {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly products: ProductsService,
  ) {}

  @ResolveField(() => OrganizationType)
  owner(@Parent() program: UpgradeProgramView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, program.ownerId);
  }

  @ResolveField(() => [ProductType])
  async targetProducts(@Parent() program: UpgradeProgramView, @Context('req') req: FastifyRequest) {
    const products = await Promise.all(program.targetProductIds.map((id) => loadProduct(req, this.products, id)));
    return products.filter((p) => p !== null);
  }
}

@Resolver(() => UpgradeEligibilityType)
export class UpgradeEligibilityResolver {
  constructor(private readonly units: UnitsService) {}

  @ResolveField(() => UnitType)
  unit(@Ctx() ctx: RequestContext, @Parent() eligibility: UpgradeEligibilityView, @Context('req') req: FastifyRequest) {
    return loadVisibleUnit(req, ctx.caller, this.units, eligibility.unitId);
  }
}
