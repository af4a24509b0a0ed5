import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductsModule } from '../products/products.module.js';
import { UnitsModule } from '../units/units.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import { NodeResolver } from './node.resolver.js';

@Module({ imports: [OrganizationsModule, ProductsModule, UnitsModule, WarrantyModule], providers: [NodeResolver] })
export class NodeModule {}
