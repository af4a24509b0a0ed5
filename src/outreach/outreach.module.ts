import { Module } from '@nestjs/common';

/**
 * Outreach to owners (docs/outreach.md): journeys, the planner that records one message per
 * journey, unit and occasion, the sender (email and webhook channels), coupons and surveys. Like
 * the webhooks module it imports no domain module: it reads the units, repairs and returns tables
 * through its own queries.
 */
@Module({
  providers: [
    // API: journeys, messages, coupons, surveys
    // planner and sender
  ],
  controllers: [],
  exports: [],
})
export class OutreachModule {}
