import { optionalUuid, uuidArg } from '../../common/http/params.js';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { pageRequest, toConnection } from '../../common/pagination/pagination.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType, TechnicianType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization, loadTechnician } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { ProductType, ServicePlanType } from '../../products/graphql/product.types.js';
import { loadProduct, loadServicePlan } from '../../products/product-loaders.js';
import { ProductsService } from '../../products/products.service.js';
import { loadUnitServicePlans, loadVisibleUnit } from '../unit-loaders.js';
import { AttachServicePlanInput, RegisterUnitInput, TransferOwnershipInput, UnitFilter } from '../unit.inputs.js';
import type { UnitEventView, UnitServicePlanView, UnitView } from '../unit.views.js';
import { UnitsService } from '../units.service.js';
import {
  AttachServicePlanResult,
  RegisterUnitResult,
  TransferOwnershipResult,
  UnitConnection,
  UnitEventConnection,
  UnitEventType,
  UnitServicePlanType,
  UnitType,
} from './unit.types.js';

@Resolver(() => UnitType)
export class UnitResolver {
  constructor(
    private readonly unitsService: UnitsService,
    private readonly productsService: ProductsService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => UnitType, { nullable: true })
  unit(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.unitsService.getUnit(ctx, id);
  }

  @Query(() => UnitType, { nullable: true })
  unitBySerial(
    @Ctx() ctx: RequestContext,
    @Args('serialNumber') serialNumber: string,
    @Args('manufacturerId', { type: () => ID, nullable: true }, optionalUuid('manufacturerId')) manufacturerId?: string,
  ) {
    return this.unitsService.getUnitBySerial(ctx, serialNumber, manufacturerId);
  }

  @Query(() => UnitConnection)
  units(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => UnitFilter, nullable: true }) filter?: UnitFilter,
  ) {
    return this.unitsService.listUnits(ctx, first, after, filter);
  }

  @Mutation(() => RegisterUnitResult)
  registerUnit(@Ctx() ctx: RequestContext, @Args('input') input: RegisterUnitInput) {
    return this.unitsService.registerUnit(ctx, input);
  }

  @Mutation(() => TransferOwnershipResult)
  transferOwnership(@Ctx() ctx: RequestContext, @Args('input') input: TransferOwnershipInput) {
    return this.unitsService.transferOwnership(ctx, input);
  }

  @Mutation(() => AttachServicePlanResult)
  attachServicePlan(@Ctx() ctx: RequestContext, @Args('input') input: AttachServicePlanInput) {
    return this.unitsService.attachServicePlan(ctx, input);
  }

  @ResolveField(() => ProductType)
  product(@Parent() unit: UnitView, @Context('req') req: FastifyRequest) {
    return loadProduct(req, this.productsService, unit.productId);
  }

  @ResolveField(() => OrganizationType, { nullable: true })
  retailer(@Parent() unit: UnitView, @Context('req') req: FastifyRequest) {
    return unit.retailerId ? loadOrganization(req, this.organizations, unit.retailerId) : null;
  }

  @ResolveField(() => [UnitServicePlanType])
  async servicePlans(@Parent() unit: UnitView, @Context('req') req: FastifyRequest) {
    return unit.ticketOnly ? [] : loadUnitServicePlans(req, this.unitsService, unit.id);
  }

  @ResolveField(() => UnitType, { nullable: true })
  replacementOf(@Ctx() ctx: RequestContext, @Parent() unit: UnitView, @Context('req') req: FastifyRequest) {
    return unit.replacementOfId ? loadVisibleUnit(req, ctx.caller, this.unitsService, unit.replacementOfId) : null;
  }

  @ResolveField(() => UnitType, { nullable: true })
  replacedBy(@Ctx() ctx: RequestContext, @Parent() unit: UnitView, @Context('req') req: FastifyRequest) {
    return unit.replacedById ? loadVisibleUnit(req, ctx.caller, this.unitsService, unit.replacedById) : null;
  }

  @ResolveField(() => UnitEventConnection, { description: 'Everything that happened to the unit, oldest first.' })
  history(
    @Ctx() ctx: RequestContext,
    @Parent() unit: UnitView,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    // the reduced unit on an opener's ticket has no history to show
    return unit.ticketOnly
      ? toConnection<UnitEventView>([], pageRequest(first, after), 0)
      : this.unitsService.historyOfVisibleUnit(ctx.caller, unit.id, first, after);
  }
}

@Resolver(() => UnitServicePlanType)
export class UnitServicePlanResolver {
  constructor(private readonly productsService: ProductsService) {}

  @ResolveField(() => ServicePlanType)
  plan(@Parent() attached: UnitServicePlanView, @Context('req') req: FastifyRequest) {
    return loadServicePlan(req, this.productsService, attached.servicePlanId);
  }
}

@Resolver(() => UnitEventType)
export class UnitEventResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType, { nullable: true })
  actor(@Parent() event: UnitEventView, @Context('req') req: FastifyRequest) {
    return event.actorOrganizationId ? loadOrganization(req, this.organizations, event.actorOrganizationId) : null;
  }

  @ResolveField(() => TechnicianType, { nullable: true })
  technician(@Parent() event: UnitEventView, @Context('req') req: FastifyRequest) {
    // the view shows a technician only to its own center (and the platform): unit-history.ts
    return event.technicianId ? loadTechnician(req, this.organizations, event.technicianId) : null;
  }
}
