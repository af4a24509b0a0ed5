import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductResolver, ServicePlanResolver } from './graphql/product.resolver.js';
import { ProductsService } from './products.service.js';
import { ProductsController } from './rest/products.controller.js';

@Module({
  imports: [OrganizationsModule],
  providers: [ProductsService, ProductResolver, ServicePlanResolver],
  controllers: [ProductsController],
  exports: [ProductsService],
})
export class ProductsModule {}
