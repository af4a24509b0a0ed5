import { Module, type OnModuleInit } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { claimPublicEvents } from './warranty-claim.public-events.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { UnitsModule } from '../units/units.module.js';
import { ClaimsService } from './claims.service.js';
import { CoverageService } from './coverage.service.js';
import { ClaimResolver, ClaimStatusChangeResolver } from './graphql/claim.resolver.js';
import { CoverageResolver } from './graphql/coverage.resolver.js';
import { ClaimsController } from './rest/claims.controller.js';
import { CoverageController } from './rest/coverage.controller.js';

@Module({
  imports: [OrganizationsModule, UnitsModule],
  providers: [CoverageService, ClaimsService, CoverageResolver, ClaimResolver, ClaimStatusChangeResolver],
  controllers: [CoverageController, ClaimsController],
  exports: [CoverageService, ClaimsService],
})
export class WarrantyModule implements OnModuleInit {
  constructor(
    private readonly events: PublicEvents,
    private readonly claims: ClaimsService,
  ) {}

  onModuleInit(): void {
    this.events.register(claimPublicEvents(this.claims));
  }
}
