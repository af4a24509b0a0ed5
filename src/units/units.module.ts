import { Module, type OnModuleInit } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { unitPublicEvents } from './unit.public-events.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ProductsModule } from '../products/products.module.js';
import { UnitEventResolver, UnitResolver, UnitServicePlanResolver } from './graphql/unit.resolver.js';
import { UnitsController } from './rest/units.controller.js';
import { UnitsService } from './units.service.js';
import { UnitImportService } from './unit-import.service.js';

@Module({
  imports: [OrganizationsModule, ProductsModule],
  providers: [UnitsService, UnitImportService, UnitResolver, UnitServicePlanResolver, UnitEventResolver],
  controllers: [UnitsController],
  exports: [UnitsService],
})
export class UnitsModule implements OnModuleInit {
  constructor(
    private readonly events: PublicEvents,
    private readonly units: UnitsService,
  ) {}

  onModuleInit(): void {
    this.events.register(unitPublicEvents(this.units));
  }
}
