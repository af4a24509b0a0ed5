import { Module, type OnModuleInit } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { repairTicketPublicEvents } from './repair-ticket.public-events.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { UnitsModule } from '../units/units.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import { RepairSubscriptionResolver } from './graphql/repair-subscription.resolver.js';
import { ClaimRepairTicketResolver, RepairResolver, RepairStatusChangeResolver } from './graphql/repair.resolver.js';
import { RepairsService } from './repairs.service.js';
import { RepairTicketsController } from './rest/repair-tickets.controller.js';

@Module({
  imports: [OrganizationsModule, UnitsModule, WarrantyModule],
  providers: [
    RepairsService,
    RepairResolver,
    RepairStatusChangeResolver,
    ClaimRepairTicketResolver,
    RepairSubscriptionResolver,
  ],
  controllers: [RepairTicketsController],
  exports: [RepairsService],
})
export class RepairsModule implements OnModuleInit {
  constructor(
    private readonly events: PublicEvents,
    private readonly repairs: RepairsService,
  ) {}

  onModuleInit(): void {
    this.events.register(repairTicketPublicEvents(this.repairs));
  }
}
