import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { RepairTicketType } from '../../repairs/graphql/repair.types.js';
import { RepairsService } from '../../repairs/repairs.service.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit, loadVisibleUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import { CoverageCheckType } from '../../warranty/graphql/coverage.types.js';
import {
  CreateReturnPolicyInput,
  InspectReturnInput,
  RequestReturnInput,
  ResolveReturnInput,
  ReturnFilter,
  TransitionReturnInput,
} from '../return.inputs.js';
import type { ReturnLineView, ReturnPolicyView, ReturnStatusChangeView, ReturnView } from '../return.views.js';
import { ReturnsService } from '../returns.service.js';
import {
  RequestReturnResult,
  ReturnAuthorizationConnection,
  ReturnAuthorizationType,
  ReturnLineType,
  ReturnPolicyType,
  ReturnStatusChangeType,
  TransitionReturnResult,
} from './return.types.js';

@Resolver(() => ReturnAuthorizationType)
export class ReturnResolver {
  constructor(
    private readonly returns: ReturnsService,
    private readonly organizations: OrganizationsService,
    private readonly units: UnitsService,
  ) {}

  @Query(() => [ReturnPolicyType])
  returnPolicies(@Ctx() ctx: RequestContext) {
    return this.returns.listPolicies(ctx);
  }

  @Query(() => ReturnAuthorizationType, { nullable: true })
  returnAuthorization(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.returns.get(ctx, id);
  }

  @Query(() => ReturnAuthorizationConnection)
  returnAuthorizations(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => ReturnFilter, nullable: true }) filter?: ReturnFilter,
  ) {
    return this.returns.list(ctx, first, after, filter);
  }

  @Mutation(() => ReturnPolicyType)
  createReturnPolicy(@Ctx() ctx: RequestContext, @Args('input') input: CreateReturnPolicyInput) {
    return this.returns.createPolicy(ctx, input);
  }

  @Mutation(() => RequestReturnResult)
  requestReturn(@Ctx() ctx: RequestContext, @Args('input') input: RequestReturnInput) {
    return this.returns.request(ctx, input);
  }

  @Mutation(() => TransitionReturnResult)
  transitionReturn(@Ctx() ctx: RequestContext, @Args('input') input: TransitionReturnInput) {
    return this.returns.transition(ctx, input);
  }

  @Mutation(() => TransitionReturnResult)
  inspectReturn(@Ctx() ctx: RequestContext, @Args('input') input: InspectReturnInput) {
    return this.returns.inspect(ctx, input);
  }

  @Mutation(() => TransitionReturnResult)
  resolveReturn(@Ctx() ctx: RequestContext, @Args('input') input: ResolveReturnInput) {
    return this.returns.resolve(ctx, input);
  }

  @ResolveField(() => OrganizationType)
  retailer(@Parent() rma: ReturnView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, rma.retailerId);
  }

  @ResolveField(() => ReturnPolicyType, { nullable: true })
  async policy(@Parent() rma: ReturnView) {
    return rma.policyId ? (await this.returns.findPolicies([rma.policyId]))[0] : null;
  }

  @ResolveField(() => CoverageCheckType, { nullable: true })
  async warrantyAlternative(
    @Ctx() ctx: RequestContext,
    @Parent() rma: ReturnView,
    @Context('req') req: FastifyRequest,
  ) {
    const check = rma.warrantyAlternative;
    return check ? { ...check, unit: await loadVisibleUnit(req, ctx.caller, this.units, check.unitId) } : null;
  }
}

@Resolver(() => ReturnLineType)
export class ReturnLineResolver {
  constructor(
    private readonly units: UnitsService,
    private readonly repairs: RepairsService,
  ) {}

  @ResolveField(() => UnitType)
  unit(@Ctx() ctx: RequestContext, @Parent() line: ReturnLineView, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, line.unitId);
  }

  @ResolveField(() => UnitType, { nullable: true })
  replacementUnit(@Ctx() ctx: RequestContext, @Parent() line: ReturnLineView, @Context('req') req: FastifyRequest) {
    return line.replacementUnitId ? loadVisibleUnit(req, ctx.caller, this.units, line.replacementUnitId) : null;
  }

  @ResolveField(() => RepairTicketType, { nullable: true })
  repairTicket(@Ctx() ctx: RequestContext, @Parent() line: ReturnLineView) {
    return line.repairTicketId ? this.repairs.findVisible(ctx.caller, line.repairTicketId) : null;
  }
}

@Resolver(() => ReturnStatusChangeType)
export class ReturnStatusChangeResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  actor(@Parent() change: ReturnStatusChangeView, @Context('req') req: FastifyRequest) {
    return change.actorOrganizationId ? loadOrganization(req, this.organizations, change.actorOrganizationId) : null;
  }
}

@Resolver(() => ReturnPolicyType)
export class ReturnPolicyResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  retailer(@Parent() policy: ReturnPolicyView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, policy.retailerId);
  }
}

/** RepairTicket.returnAuthorization: the return that sent the unit for repair (the link both ways). */
@Resolver(() => RepairTicketType)
export class RepairTicketReturnResolver {
  constructor(private readonly returns: ReturnsService) {}

  @ResolveField(() => ReturnAuthorizationType, {
    nullable: true,
    description: 'The return that sent the unit for repair, if any.',
  })
  async returnAuthorization(@Ctx() ctx: RequestContext, @Parent() ticket: { returnLineId: string | null }) {
    return ticket.returnLineId ? this.returns.findVisibleByLine(ctx.caller, ticket.returnLineId) : null;
  }
}
