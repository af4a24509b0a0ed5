import { Module, type OnModuleInit } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { JobRunner } from '../common/jobs/job-runner.service.js';
import { returnPublicEvents } from './return.public-events.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { RepairsModule } from '../repairs/repairs.module.js';
import { UnitsModule } from '../units/units.module.js';
import { WarrantyModule } from '../warranty/warranty.module.js';
import {
  RepairTicketReturnResolver,
  ReturnLineResolver,
  ReturnPolicyResolver,
  ReturnResolver,
  ReturnStatusChangeResolver,
} from './graphql/return.resolver.js';
import { ReturnsController } from './rest/returns.controller.js';
import { ReturnsService } from './returns.service.js';

const EXPIRY_EVERY_MS = 60_000;

@Module({
  imports: [OrganizationsModule, UnitsModule, WarrantyModule, RepairsModule],
  providers: [
    ReturnsService,
    ReturnResolver,
    ReturnLineResolver,
    ReturnStatusChangeResolver,
    ReturnPolicyResolver,
    RepairTicketReturnResolver,
  ],
  controllers: [ReturnsController],
  exports: [ReturnsService],
})
export class ReturnsModule implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly returns: ReturnsService,
    private readonly events: PublicEvents,
  ) {}

  /** Its public events; and authorized returns not shipped in time expire: checked every minute, by one replica at a time. */
  onModuleInit(): void {
    this.events.register(returnPublicEvents(this.returns));
    this.runner.every({
      name: 'return-expiry',
      everyMs: EXPIRY_EVERY_MS,
      run: async (em) => {
        await this.returns.expireOverdue(em);
      },
    });
  }
}
