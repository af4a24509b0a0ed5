import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductsModule } from '../products/products.module.js';
import { RepairsModule } from '../repairs/repairs.module.js';
import { ReturnsModule } from '../returns/returns.module.js';
import { UnitsModule } from '../units/units.module.js';
import { UpgradesModule } from '../upgrades/upgrades.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import { NodeResolver } from './node.resolver.js';

@Module({
  imports: [
    OrganizationsModule,
    ProductsModule,
    UnitsModule,
    WarrantyModule,
    RepairsModule,
    ReturnsModule,
    UpgradesModule,
  ],
  providers: [NodeResolver],
})
export class NodeModule {}
