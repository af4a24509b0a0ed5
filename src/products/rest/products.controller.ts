import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, OmitType } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CreateProductInput, CreateServicePlanInput } from '../product.inputs.js';
import { ProductsService } from '../products.service.js';
import { PageQuery } from '../../common/http/page-query.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { ProductView, ServicePlanView } from '../product.views.js';
import { AddProductResourceInput } from '../product-resource.inputs.js';
import { DeletedProductResourceView, ProductResourceView } from '../product-resource.views.js';

/** The body of POST /products/{id}/resources: the product comes from the path. */
@ApiSchema({ name: 'AddProductResourceBody' })
class AddResourceBody extends OmitType(AddProductResourceInput, ['productId'] as const) {}

class ProductListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;
}

@ApiTags('catalog')
@ApiBearerAuth()
@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('products')
  @Operation({
    id: 'listProducts',
    summary: 'The product catalog, a page at a time',
    ok: connectionOf(ProductView, 'Product'),
  })
  list(@Ctx() _ctx: RequestContext, @Query() query: ProductListQuery) {
    return this.products.listProducts(query.first, query.after, query.category);
  }

  @Get('products/:id')
  @Operation({ id: 'getProduct', summary: 'One product with its warranty terms', ok: ProductView, problems: [404] })
  get(@Ctx() _ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.products.getProduct(id);
  }

  @Post('products')
  @Operation({
    id: 'createProduct',
    summary: 'Add a product to the catalog (manufacturers)',
    ok: ProductView,
    status: 201,
    problems: [403],
  })
  create(@Ctx() ctx: RequestContext, @Body() input: CreateProductInput) {
    return this.products.createProduct(ctx, input);
  }

  @Get('products/:id/resources')
  @Operation({
    id: 'listProductResources',
    summary: "The product's manuals, guides, courses and support contacts",
    ok: [ProductResourceView],
    problems: [404],
  })
  resources(@Ctx() _ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.products.listResources(id);
  }

  @Post('products/:id/resources')
  @Operation({
    id: 'addProductResource',
    summary: "Add a manual, guide, course or support contact (the product's manufacturer)",
    ok: ProductResourceView,
    status: 201,
    problems: [403, 404],
  })
  addResource(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AddResourceBody) {
    return this.products.addResource(ctx, { ...body, productId: id });
  }

  @Delete('products/:id/resources/:resourceId')
  @Operation({
    id: 'removeProductResource',
    summary: "Remove one of the product's resources (the product's manufacturer)",
    ok: DeletedProductResourceView,
    problems: [403, 404],
  })
  async removeResource(
    @Ctx() ctx: RequestContext,
    @Param('id', uuidParam('id')) id: string,
    @Param('resourceId', uuidParam('resourceId')) resourceId: string,
  ) {
    await this.products.removeResource(ctx, id, resourceId);
    return { id: resourceId, deleted: true };
  }

  @Get('service-plans')
  @Operation({ id: 'listServicePlans', summary: 'Every service plan on offer', ok: [ServicePlanView] })
  plans(@Ctx() _ctx: RequestContext) {
    return this.products.listServicePlans();
  }

  @Post('service-plans')
  @Operation({
    id: 'createServicePlan',
    summary: 'Offer a service plan (manufacturers and retailers)',
    ok: ServicePlanView,
    status: 201,
    problems: [403],
  })
  createPlan(@Ctx() ctx: RequestContext, @Body() input: CreateServicePlanInput) {
    return this.products.createServicePlan(ctx, input);
  }
}
