import { Module } from '@nestjs/common';
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
export class UnitsModule {}
