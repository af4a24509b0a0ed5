import { ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import { ApiDateTime, ApiDay, ApiEnum, ApiId, ApiText } from '../common/openapi/properties.js';
import type { OutreachMessageEntity } from './outreach.entities.js';
import { OutreachMessageStatusEnum, SuppressionReasonEnum } from './outreach.enums.js';
import type { OutreachMessageStatus, SuppressionReason } from './outreach.rules.js';

/** The API's shape of an outreach message (GraphQL and REST alike): the address is never shown whole. */
@ApiSchema({ name: 'OutreachMessage' })
export class OutreachMessageView {
  @ApiId() id: string;
  @ApiId() journeyId: string;
  @ApiId() unitId: string;
  @ApiText('a***@example.com', { nullable: true, description: 'The address, partly masked.' })
  recipient: string | null;
  @ApiText('en', { description: 'The language the message was (or would be) written in.' }) locale: string;
  @ApiText('Your warranty, in short') subject: string;
  @ApiEnum(OutreachMessageStatusEnum, 'OutreachMessageStatus') status: OutreachMessageStatus;
  @ApiEnum(SuppressionReasonEnum, 'SuppressionReason', { nullable: true })
  suppressionReason: SuppressionReason | null;
  @ApiDay({ description: 'The day the trigger fell on: one message per journey, unit and occasion.' })
  occasion: string;
  @ApiDateTime({ nullable: true }) sentAt: Date | null;
  @ApiText('THANKS-7KQ2MZ4X', { nullable: true, description: 'The code of the coupon it carried, if any.' })
  couponCode: string | null;
  @ApiDateTime({
    nullable: true,
    description:
      'When the address of this message unsubscribed from your messages (from this or another one); null: it has not, or undid it.',
  })
  recipientUnsubscribedAt: Date | null;
}

/**
 * An address as the API shows it: its first character, ***, and the domain (a***@example.com), so
 * a sender can tell addresses apart without the API handing out its owners' addresses.
 */
export function maskRecipient(address: string | null): string | null {
  if (address === null) return null;
  const at = address.lastIndexOf('@');
  if (at < 0) return '***';
  // the first character, not the first UTF-16 unit: never half an emoji
  const first = at > 0 ? (Array.from(address)[0] ?? '') : '';
  return `${first}***${address.slice(at)}`;
}

export const toOutreachMessageView = (
  m: OutreachMessageEntity,
  couponCode: string | null,
  recipientUnsubscribedAt: Date | null,
): OutreachMessageView =>
  typed(
    {
      id: m.id,
      journeyId: m.journeyId,
      unitId: m.unitId,
      recipient: maskRecipient(m.recipient),
      // QUEUED messages are not written yet: their language and subject are known once sent
      locale: m.locale ?? '',
      subject: m.subject ?? '',
      status: m.status,
      suppressionReason: m.suppressionReason,
      occasion: m.occasion,
      sentAt: m.sentAt,
      couponCode,
      recipientUnsubscribedAt,
    },
    'OutreachMessage',
  );
