import { ApiSchema } from '@nestjs/swagger';
import { ApiDay, ApiEnum, ApiId, ApiInt, ApiMoney, ApiNested, ApiText } from '../../common/openapi/properties.js';
import type { MoneyType } from '../../common/money/money.types.js';
import { OutreachKindEnum } from '../outreach.enums.js';
import type { OutreachKind } from '../outreach.rules.js';

/**
 * The data of an `outreach.message` webhook event (docs/outreach.md, "Channels"): a message a
 * journey on the WEBHOOK channel hands to the sender's own systems to send, rendered as an email
 * would be, with its links and coupon.
 */
export const OUTREACH_MESSAGE_EVENT = 'outreach.message';

@ApiSchema({ name: 'OutreachMessageLinks', description: 'The owner links of a message (no login; signed, expiring).' })
export class OutreachMessageLinksView {
  @ApiText('https://aftercare.example.com/o/AbC123', { description: "The owner's page of the unit." })
  ownerPage: string;
  @ApiText('https://aftercare.example.com/o/DeF456', {
    description: 'One-click unsubscribe from every journey of the sender (RFC 8058: POST works without a page).',
  })
  unsubscribe: string;
  @ApiText('https://aftercare.example.com/o/GhI789', { nullable: true, description: 'SURVEY messages: the survey.' })
  survey: string | null;
  @ApiText('https://aftercare.example.com/o/JkL012', {
    nullable: true,
    description: 'REVIEW_REQUEST messages: counted, then on to the review page.',
  })
  review: string | null;
}

@ApiSchema({ name: 'OutreachMessageCoupon', description: 'The coupon issued with the message.' })
export class OutreachMessageCouponView {
  @ApiText('SPRING-7KQ2MX9P') code: string;
  @ApiDay({ description: 'The last day it can be redeemed.' }) expiresOn: string;
  @ApiInt(15, { nullable: true }) discountPercent: number | null;
  @ApiMoney({ nullable: true }) discountAmount: MoneyType | null;
}

@ApiSchema({
  name: 'OutreachMessageEvent',
  description: "An outreach message for the sender's own systems to send (the WEBHOOK channel).",
})
export class OutreachMessageEventView {
  @ApiId({ description: "The message's id (outreachMessages)." }) id: string;
  @ApiId() journeyId: string;
  @ApiId() unitId: string;
  @ApiEnum(OutreachKindEnum, 'OutreachKind') kind: OutreachKind;
  @ApiDay({ description: 'The occasion the message is for.' }) occasion: string;
  @ApiText('ann@example.com', { description: "The owner's email address." }) recipient: string;
  @ApiText('sv', { description: 'The language the message is written in (BCP 47).' }) locale: string;
  @ApiText('Your Fridge: warranty until 14 March 2028') subject: string;
  @ApiText('Hello Ann, ...', { description: 'The plain-text body.' }) text: string;
  @ApiText('<!doctype html>...', { description: 'The HTML body; every value in it is escaped.' }) html: string;
  @ApiNested(() => OutreachMessageLinksView) links: OutreachMessageLinksView;
  @ApiNested(() => OutreachMessageCouponView, { nullable: true }) coupon: OutreachMessageCouponView | null;
}
