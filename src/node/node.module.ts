import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductsModule } from '../products/products.module.js';
import { RepairsModule } from '../repairs/repairs.module.js';
import { ReturnsModule } from '../returns/returns.module.js';
import { UnitsModule } from '../units/units.module.js';
import { UpgradesModule } from '../upgrades/upgrades.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import { NodeResolver } from './node.resolver.js';
import { OutreachModule } from '../outreach/outreach.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';

@Module({
  imports: [
    OrganizationsModule,
    ProductsModule,
    UnitsModule,
    WarrantyModule,
    RepairsModule,
    ReturnsModule,
    UpgradesModule,
    WebhooksModule,
    OutreachModule,
  ],
  providers: [NodeResolver],
})
export class NodeModule {}
