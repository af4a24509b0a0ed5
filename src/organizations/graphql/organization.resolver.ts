import { optionalUuid, uuidArg } from '../../common/http/params.js';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { loadOrganization, loadTechnician } from '../organization-loaders.js';
import { CreateApiKeyInput, CreateOrganizationInput, CreateTechnicianInput } from '../organization.inputs.js';
import type { ApiKeyView, TechnicianView } from '../organization.views.js';
import { OrganizationsService } from '../organizations.service.js';
import type { OrganizationKind } from '../organization.entity.js';
import { OrganizationKindEnum } from '../organization.enums.js';
import {
  ApiKeyConnection,
  ApiKeyType,
  CreatedApiKeyType,
  OrganizationConnection,
  OrganizationType,
  TechnicianType,
} from './organization.types.js';

@Resolver(() => OrganizationType)
export class OrganizationResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @Query(() => OrganizationType, { nullable: true })
  organization(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.organizations.getOrganization(ctx, id);
  }

  @Query(() => OrganizationConnection, {
    name: 'organizations',
    description:
      "The directory: every organization's name and kind (name: case-insensitive prefix). Any key may read it.",
  })
  directory(
    @Ctx() ctx: RequestContext,
    // typed as the union, not the enum object, so that the validation pipe leaves the enum (checked by GraphQL) alone
    @Args('kind', { type: () => OrganizationKindEnum, nullable: true }) kind?: OrganizationKind,
    @Args('name', { nullable: true }) name?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.organizations.listOrganizations(ctx, { kind, name }, first, after);
  }

  @Query(() => ApiKeyConnection, { description: "The caller organization's API keys, never their secrets." })
  apiKeys(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.organizations.listApiKeys(ctx, first, after);
  }

  @Query(() => ApiKeyType)
  me(@Ctx() ctx: RequestContext) {
    return this.organizations.me(ctx);
  }

  @Query(() => [TechnicianType])
  technicians(
    @Ctx() ctx: RequestContext,
    @Args('serviceCenterId', { type: () => ID, nullable: true }, optionalUuid('serviceCenterId'))
    serviceCenterId?: string,
  ) {
    return this.organizations.listTechnicians(ctx, serviceCenterId);
  }

  @Mutation(() => OrganizationType)
  createOrganization(@Ctx() ctx: RequestContext, @Args('input') input: CreateOrganizationInput) {
    return this.organizations.createOrganization(ctx, input);
  }

  @Mutation(() => CreatedApiKeyType)
  createApiKey(@Ctx() ctx: RequestContext, @Args('input') input: CreateApiKeyInput) {
    return this.organizations.createApiKey(ctx, input);
  }

  @Mutation(() => ApiKeyType)
  revokeApiKey(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.organizations.revokeApiKey(ctx, id);
  }

  @Mutation(() => TechnicianType)
  createTechnician(@Ctx() ctx: RequestContext, @Args('input') input: CreateTechnicianInput) {
    return this.organizations.createTechnician(ctx, input);
  }
}

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  organization(@Parent() key: ApiKeyView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, key.organizationId);
  }

  @ResolveField(() => TechnicianType, { nullable: true })
  technician(@Parent() key: ApiKeyView, @Context('req') req: FastifyRequest) {
    return key.technicianId ? loadTechnician(req, this.organizations, key.technicianId) : null;
  }
}

@Resolver(() => TechnicianType)
export class TechnicianResolver {
  constructor(private readonly organizations: OrganizationsService) {}

  @ResolveField(() => OrganizationType)
  serviceCenter(@Parent() technician: TechnicianView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, technician.serviceCenterId);
  }
}
