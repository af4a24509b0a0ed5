import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { JourneysService } from './journeys.service.js';
import { OutreachJourneyResolver } from './graphql/journey.resolver.js';
import { JourneysController } from './rest/journeys.controller.js';
import { CouponsService } from './coupons.service.js';
import { CouponResolver } from './graphql/coupon.resolver.js';
import { OutreachMessageResolver } from './graphql/message.resolver.js';
import { SurveyResponseResolver } from './graphql/survey.resolver.js';
import { OutreachMessagesService } from './outreach-messages.service.js';
import { CouponsController } from './rest/coupons.controller.js';
import { OutreachMessagesController } from './rest/messages.controller.js';
import { SurveysController } from './rest/surveys.controller.js';
import { SurveysService } from './surveys.service.js';
import { OwnerPageUrls } from './owner-page-urls.service.js';
import { OwnerPageResolver } from './graphql/owner-page.resolver.js';
import { OwnerPagesController } from './rest/owner-pages.controller.js';
import { OutreachPreviewResolver } from './graphql/preview.resolver.js';
import { OutreachPreviewController } from './rest/preview.controller.js';
import { OutreachPlanner } from './planner/outreach-planner.service.js';
import { EmailChannel } from './channels/email-channel.js';
import { OutreachSender } from './sending/outreach-sender.service.js';
import { OutreachPreview } from './sending/outreach-preview.service.js';
import { OutreachEventSchemas } from './sending/outreach-event.schemas.js';

/**
 * Outreach to owners (docs/outreach.md): journeys, the planner that records one message per
 * journey, unit and occasion, the sender (email and webhook channels), coupons and surveys. Like
 * the webhooks module it imports no domain module but units (whose Unit its records show): it reads
 * the units, repairs and returns tables through its own queries.
 */
@Module({
  // the Unit of a message, coupon or survey answer is resolved as the units module shows it
  imports: [UnitsModule, OrganizationsModule],
  providers: [
    // API: journeys, messages, coupons, surveys
    JourneysService,
    OutreachJourneyResolver,
    OutreachMessagesService,
    CouponsService,
    SurveysService,
    OutreachMessageResolver,
    CouponResolver,
    SurveyResponseResolver,
    OwnerPageUrls,
    OwnerPageResolver,
    OutreachPreviewResolver,
    // planner and sender
    OutreachPlanner,
    EmailChannel,
    OutreachSender,
    OutreachPreview,
  ],
  controllers: [
    JourneysController,
    OutreachMessagesController,
    CouponsController,
    SurveysController,
    OwnerPagesController,
    OutreachPreviewController,
    OutreachEventSchemas,
  ],
  exports: [EmailChannel, SurveysService, JourneysService, OutreachMessagesService],
})
export class OutreachModule {}
