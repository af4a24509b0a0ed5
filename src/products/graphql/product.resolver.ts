import { uuidArg } from '../../common/http/params.js';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { loadOrganization } from '../../organizations/organization-loaders.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { loadersOf } from '../../common/graphql/loaders.js';
import { AddProductResourceInput } from '../product-resource.inputs.js';
import type { ProductResourceView } from '../product-resource.views.js';
import { CreateProductInput, CreateServicePlanInput } from '../product.inputs.js';
import type { ProductView, ServicePlanView } from '../product.views.js';
import { ProductsService } from '../products.service.js';
import { ProductConnection, ProductResourceType, ProductType, ServicePlanType } from './product.types.js';

@Resolver(() => ProductType)
export class ProductResolver {
  constructor(
    private readonly productsService: ProductsService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => ProductConnection)
  products(
    @Ctx() _ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('category', { nullable: true }) category?: string,
  ) {
    return this.productsService.listProducts(first, after, category);
  }

  @Query(() => ProductType, { nullable: true })
  product(@Ctx() _ctx: RequestContext, @Args('id', { type: () => ID }, uuidArg('id')) id: string) {
    return this.productsService.getProduct(id);
  }

  @Mutation(() => ProductType)
  createProduct(@Ctx() ctx: RequestContext, @Args('input') input: CreateProductInput) {
    return this.productsService.createProduct(ctx, input);
  }

  @Mutation(() => ProductType)
  async addProductResource(@Ctx() ctx: RequestContext, @Args('input') input: AddProductResourceInput) {
    await this.productsService.addResource(ctx, input);
    return this.productsService.getProduct(input.productId);
  }

  @Mutation(() => ProductType)
  async removeProductResource(
    @Ctx() ctx: RequestContext,
    @Args('productId', { type: () => ID }, uuidArg('productId')) productId: string,
    @Args('resourceId', { type: () => ID }, uuidArg('resourceId')) resourceId: string,
  ) {
    await this.productsService.removeResource(ctx, productId, resourceId);
    return this.productsService.getProduct(productId);
  }

  @ResolveField(() => [ProductResourceType])
  resources(@Parent() product: ProductView, @Context('req') req: FastifyRequest) {
    return loadersOf(req)
      .get<string, ProductResourceView[]>('productResources', (ids) => this.productsService.resourcesOf(ids))
      .load(product.id);
  }

  @ResolveField(() => OrganizationType)
  manufacturer(@Parent() product: ProductView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, product.manufacturerId);
  }
}

@Resolver(() => ServicePlanType)
export class ServicePlanResolver {
  constructor(
    private readonly productsService: ProductsService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Query(() => [ServicePlanType])
  servicePlans(@Ctx() _ctx: RequestContext) {
    return this.productsService.listServicePlans();
  }

  @Mutation(() => ServicePlanType)
  createServicePlan(@Ctx() ctx: RequestContext, @Args('input') input: CreateServicePlanInput) {
    return this.productsService.createServicePlan(ctx, input);
  }

  @ResolveField(() => OrganizationType)
  provider(@Parent() plan: ServicePlanView, @Context('req') req: FastifyRequest) {
    return loadOrganization(req, this.organizations, plan.providerId);
  }
}
