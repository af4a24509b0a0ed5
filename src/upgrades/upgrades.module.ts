import { Module, type OnModuleInit } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { upgradePublicEvents } from './upgrade-request.public-events.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductsModule } from '../products/products.module.js';
import { UnitsModule } from '../units/units.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import { UpgradeEligibilityResolver, UpgradeProgramResolver, UpgradeResolver } from './graphql/upgrade.resolver.js';
import { UpgradesController } from './rest/upgrades.controller.js';
import { UpgradesService } from './upgrades.service.js';

@Module({
  imports: [OrganizationsModule, ProductsModule, UnitsModule, WarrantyModule],
  providers: [UpgradesService, UpgradeResolver, UpgradeProgramResolver, UpgradeEligibilityResolver],
  controllers: [UpgradesController],
  exports: [UpgradesService],
})
export class UpgradesModule implements OnModuleInit {
  constructor(
    private readonly events: PublicEvents,
    private readonly upgrades: UpgradesService,
  ) {}

  onModuleInit(): void {
    this.events.register(upgradePublicEvents(this.upgrades));
  }
}
