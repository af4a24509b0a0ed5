import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import {
  AnswerClaimInfoRequestInput,
  CancelWarrantyClaimInput,
  ReviewWarrantyClaimInput,
  SubmitWarrantyClaimInput,
  WarrantyClaimFilter,
} from '../claim.inputs.js';
import type { ClaimStatusChangeView, WarrantyClaimView } from '../claim.views.js';
import { ClaimsService } from '../claims.service.js';
import {
  ClaimStatusChangeType,
  ReviewWarrantyClaimResult,
  SubmitWarrantyClaimResult,
  WarrantyClaimConnection,
  WarrantyClaimType,
} from './claim.types.js';

@Resolver(() => WarrantyClaimType)
export class ClaimResolver {
  constructor(
    private readonly claims: ClaimsService,
    private readonly unitsService: UnitsService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => WarrantyClaimType, { nullable: true })
  warrantyClaim(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.claims.get(ctx, id);
  }

  @Query(() => WarrantyClaimConnection)
  warrantyClaims(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => WarrantyClaimFilter, nullable: true }) filter?: WarrantyClaimFilter,
  ) {
    return this.claims.list(ctx, first, after, filter);
  }

  @Mutation(() => SubmitWarrantyClaimResult)
  submitWarrantyClaim(@Ctx() ctx: RequestContext, @Args('input') input: SubmitWarrantyClaimInput) {
    return this.claims.submit(ctx, input);
  }

  @Mutation(() => ReviewWarrantyClaimResult)
  reviewWarrantyClaim(@Ctx() ctx: RequestContext, @Args('input') input: ReviewWarrantyClaimInput) {
    return this.claims.review(ctx, input);
  }

  @Mutation(() => ReviewWarrantyClaimResult)
  answerClaimInfoRequest(@Ctx() ctx: RequestContext, @Args('input') input: AnswerClaimInfoRequestInput) {
    return this.claims.answerInfoRequest(ctx, input);
  }

  @Mutation(() => ReviewWarrantyClaimResult)
  cancelWarrantyClaim(@Ctx() ctx: RequestContext, @Args('input') input: CancelWarrantyClaimInput) {
    return this.claims.cancel(ctx, input);
  }

  @ResolveField(() => UnitType)
  unit(@Ctx() ctx: RequestContext, @Parent() claim: WarrantyClaimView, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.unitsService, claim.unitId);
  }

  @ResolveField(() => OrganizationType)
  claimant(@Parent() claim: WarrantyClaimView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, claim.claimantId);
  }

  @ResolveField(() => OrganizationType)
  manufacturer(@Parent() claim: WarrantyClaimView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, claim.manufacturerId);
  }
}

@Resolver(() => ClaimStatusChangeType)
export class ClaimStatusChangeResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  actor(@Parent() change: ClaimStatusChangeView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, change.actorOrganizationId);
  }
}
