import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { CreateOutreachJourneyInput, UpdateOutreachJourneyInput } from '../journey.inputs.js';
import type { OutreachJourneyView } from '../journey.views.js';
import { JourneysService } from '../journeys.service.js';
import { CreateOutreachJourneyResult, OutreachJourneyType, UpdateOutreachJourneyResult } from './journey.types.js';

@Resolver(() => OutreachJourneyType)
export class OutreachJourneyResolver {
  constructor(
    private readonly journeys: JourneysService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => [OutreachJourneyType], { description: "The caller organization's journeys." })
  outreachJourneys(@Ctx() ctx: RequestContext) {
    return this.journeys.list(ctx);
  }

  @Mutation(() => CreateOutreachJourneyResult)
  createOutreachJourney(@Ctx() ctx: RequestContext, @Args('input') input: CreateOutreachJourneyInput) {
    return this.journeys.create(ctx, input);
  }

  @Mutation(() => UpdateOutreachJourneyResult)
  updateOutreachJourney(@Ctx() ctx: RequestContext, @Args('input') input: UpdateOutreachJourneyInput) {
    return this.journeys.update(ctx, input);
  }

  @ResolveField(() => OrganizationType)
  sender(@Parent() journey: OutreachJourneyView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, journey.senderId);
  }
}
