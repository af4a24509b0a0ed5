import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CreateProductInput, CreateServicePlanInput } from '../product.inputs.js';
import { ProductsService } from '../products.service.js';
import { PageQuery } from '../../common/http/page-query.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

class ProductListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  category?: string;
}

@ApiTags('catalog')
@ApiBearerAuth()
@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('products')
  @ApiOperation({ summary: 'The product catalog, a page at a time' })
  list(@Ctx() _ctx: RequestContext, @Query() query: ProductListQuery) {
    return this.products.listProducts(query.first, query.after, query.category);
  }

  @Get('products/:id')
  @ApiOperation({ summary: 'One product with its warranty terms' })
  get(@Ctx() _ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.products.getProduct(id);
  }

  @Post('products')
  @ApiOperation({ summary: 'Add a product to the catalog (manufacturers)' })
  create(@Ctx() ctx: RequestContext, @Body() input: CreateProductInput) {
    return this.products.createProduct(ctx, input);
  }

  @Get('service-plans')
  @ApiOperation({ summary: 'Every service plan on offer' })
  plans(@Ctx() _ctx: RequestContext) {
    return this.products.listServicePlans();
  }

  @Post('service-plans')
  @ApiOperation({ summary: 'Offer a service plan (manufacturers and retailers)' })
  createPlan(@Ctx() ctx: RequestContext, @Body() input: CreateServicePlanInput) {
    return this.products.createServicePlan(ctx, input);
  }
}
