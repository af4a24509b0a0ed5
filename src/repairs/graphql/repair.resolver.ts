import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { canWork } from '../../common/auth/caller.js';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType, TechnicianType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization, loadTechnician } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { OwnerLinks } from '../../owner-pages/owner-links.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit, loadVisibleUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import type { WarrantyClaimView } from '../../warranty/claim.views.js';
import { ClaimsService } from '../../warranty/claims.service.js';
import { WarrantyClaimType } from '../../warranty/graphql/claim.types.js';
import { CoverageCheckType } from '../../warranty/graphql/coverage.types.js';
import {
  ApproveRepairEstimateInput,
  AssignTechnicianInput,
  OpenRepairTicketInput,
  RepairTicketFilter,
  UpdateRepairTicketInput,
} from '../repair.inputs.js';
import type { RepairStatusChangeView, RepairTicketView } from '../repair.views.js';
import { RepairsService } from '../repairs.service.js';
import {
  OpenRepairTicketResult,
  RepairStatusChangeType,
  RepairTicketConnection,
  RepairTicketType,
  UpdateRepairTicketResult,
} from './repair.types.js';

@Resolver(() => RepairTicketType)
export class RepairResolver {
  constructor(
    private readonly repairs: RepairsService,
    private readonly units: UnitsService,
    private readonly organizations: OrganizationsService,
    private readonly claims: ClaimsService,
    private readonly ownerLinks: OwnerLinks,
  ) {}

  @Query(() => RepairTicketType, { nullable: true })
  repairTicket(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.repairs.get(ctx, id);
  }

  @Query(() => RepairTicketConnection)
  repairTickets(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => RepairTicketFilter, nullable: true }) filter?: RepairTicketFilter,
  ) {
    return this.repairs.list(ctx, first, after, filter);
  }

  @Mutation(() => OpenRepairTicketResult)
  openRepairTicket(@Ctx() ctx: RequestContext, @Args('input') input: OpenRepairTicketInput) {
    return this.repairs.open(ctx, input);
  }

  @Mutation(() => UpdateRepairTicketResult)
  assignTechnician(@Ctx() ctx: RequestContext, @Args('input') input: AssignTechnicianInput) {
    return this.repairs.assignTechnician(ctx, input);
  }

  @Mutation(() => UpdateRepairTicketResult)
  updateRepairTicket(@Ctx() ctx: RequestContext, @Args('input') input: UpdateRepairTicketInput) {
    return this.repairs.update(ctx, input);
  }

  @Mutation(() => UpdateRepairTicketResult)
  approveRepairEstimate(@Ctx() ctx: RequestContext, @Args('input') input: ApproveRepairEstimateInput) {
    return this.repairs.approveEstimate(ctx, input);
  }

  // an opener that may not see the unit gets the reduced unit (loadRecordUnit): the field is non-null
  @ResolveField(() => UnitType)
  unit(@Ctx() ctx: RequestContext, @Parent() ticket: RepairTicketView, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, ticket.unitId);
  }

  @ResolveField(() => OrganizationType)
  serviceCenter(@Parent() ticket: RepairTicketView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, ticket.serviceCenterId);
  }

  @ResolveField(() => TechnicianType, {
    nullable: true,
    description: 'Shown to the service center (and the platform) only.',
  })
  technician(@Parent() ticket: RepairTicketView, @Context('req') req: FastifyRequest) {
    // the view holds the technician only for those who see technicians (seesTechnicians)
    return ticket.technicianId ? loadTechnician(req, this.organizations, ticket.technicianId) : null;
  }

  @ResolveField(() => CoverageCheckType)
  async coverageAtIntake(
    @Ctx() ctx: RequestContext,
    @Parent() ticket: RepairTicketView,
    @Context('req') req: FastifyRequest,
  ) {
    return { ...ticket.coverageAtIntake, unit: await loadVisibleUnit(req, ctx.caller, this.units, ticket.unitId) };
  }

  @ResolveField(() => String, {
    description: "A no-login link to the owner's tracking page for this ticket (OUTREACH.md: owner pages).",
  })
  trackingUrl(@Ctx() ctx: RequestContext, @Parent() ticket: RepairTicketView) {
    // the link that may approve the estimate as the owner goes only to keys that may approve it
    // themselves (the opener acting for the customer, or the center); anyone else gets the page to follow
    const { caller } = ctx;
    const mayApprove = canWork(caller) && [ticket.openedById, ticket.serviceCenterId].includes(caller.organizationId);
    return this.ownerLinks.url(mayApprove ? 'repair' : 'track', ticket.id);
  }

  @ResolveField(() => WarrantyClaimType, { nullable: true })
  warrantyClaim(@Ctx() ctx: RequestContext, @Parent() ticket: RepairTicketView) {
    return ticket.warrantyClaimId ? this.claims.findVisible(ctx.caller, ticket.warrantyClaimId) : null;
  }
}

@Resolver(() => RepairStatusChangeType)
export class RepairStatusChangeResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  actor(@Parent() change: RepairStatusChangeView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, change.actorOrganizationId);
  }

  @ResolveField(() => TechnicianType, { nullable: true })
  technician(@Parent() change: RepairStatusChangeView, @Context('req') req: FastifyRequest) {
    // the view holds the technician only for those who see technicians (seesTechnicians)
    return change.technicianId ? loadTechnician(req, this.organizations, change.technicianId) : null;
  }
}

/** WarrantyClaim.repairTicket lives here: the warranty module does not know about repairs. */
@Resolver(() => WarrantyClaimType)
export class ClaimRepairTicketResolver {
  constructor(private readonly repairs: RepairsService) {}

  @ResolveField(() => RepairTicketType, { nullable: true })
  repairTicket(@Ctx() ctx: RequestContext, @Parent() claim: WarrantyClaimView) {
    return claim.repairTicketId ? this.repairs.findVisible(ctx.caller, claim.repairTicketId) : null;
  }
}
