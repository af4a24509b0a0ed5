import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  OutreachChannel,
  OutreachKind,
  OutreachMessageStatus,
  OutreachPurpose,
  OutreachTrigger,
  SuppressionReason,
  SurveyScale,
} from './outreach.rules.js';

export interface StoredTemplate {
  locale: string;
  subject: string;
  body: string;
}

export interface StoredCouponSpec {
  prefix: string;
  discountPercent: number | null;
  /** A decimal string, in discountCurrency. */
  discountAmount: string | null;
  discountCurrency: string | null;
  validDays: number;
}

export interface StoredSurveySpec {
  question: string;
  scale: SurveyScale;
  askComment: boolean;
}

/** A sender's journey: what it sends, to whom, on which occasion. */
@Entity('outreach_journeys')
export class OutreachJourneyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'sender_id' }) senderId: string;
  @Column('text') name: string;
  @Column('text') kind: OutreachKind;
  @Column('text') purpose: OutreachPurpose;
  @Column('text') trigger: OutreachTrigger;
  @Column('integer', { name: 'offset_days' }) offsetDays: number;
  /** MM-DD, for ANNUAL_DATE. */
  @Column('text', { name: 'annual_date', nullable: true }) annualDate: string | null;
  @Column('text') channel: OutreachChannel;
  @Column('text', { name: 'product_categories', array: true }) productCategories: string[];
  @Column('boolean', { name: 'only_without_service_plan' }) onlyWithoutServicePlan: boolean;
  /** Empty: the built-in templates of the kind. */
  @Column('jsonb') templates: StoredTemplate[];
  @Column('jsonb', { nullable: true }) coupon: StoredCouponSpec | null;
  @Column('jsonb', { nullable: true }) survey: StoredSurveySpec | null;
  @Column('text', { name: 'review_url', nullable: true }) reviewUrl: string | null;
  @Column('boolean') active: boolean;
  /** The first occasion the journey sends for: the day it was created or last re-activated. */
  @Column('date', { name: 'active_since' }) activeSince: string;
  /** Every occasion up to this day has been planned. */
  @Column('date', { name: 'planned_through', nullable: true }) plannedThrough: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('integer') version: number;
}

/** One message per journey, unit (or address) and occasion. */
@Entity('outreach_messages')
export class OutreachMessageEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'journey_id' }) journeyId: string;
  @Column('uuid', { name: 'sender_id' }) senderId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('date') occasion: string;
  @Column('text', { name: 'dedup_key' }) dedupKey: string;
  /** The repair ticket or return the occasion came from. */
  @Column('uuid', { name: 'source_id', nullable: true }) sourceId: string | null;
  @Column('text') channel: OutreachChannel;
  @Column('text') status: OutreachMessageStatus;
  @Column('text', { name: 'suppression_reason', nullable: true }) suppressionReason: SuppressionReason | null;
  /** The full address; views mask it. */
  @Column('text', { nullable: true }) recipient: string | null;
  @Column('text', { name: 'recipient_key', nullable: true }) recipientKey: string | null;
  @Column('text', { nullable: true }) locale: string | null;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('integer') attempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('uuid', { name: 'lease_token', nullable: true }) leaseToken: string | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('text', { name: 'email_message_id', nullable: true }) emailMessageId: string | null;
  @Column('integer', { name: 'link_clicks' }) linkClicks: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}

/** What a sender knows of an address (lower-cased): unsubscribed, bounced. */
@Entity('outreach_recipients')
export class OutreachRecipientEntity {
  @PrimaryColumn('uuid', { name: 'sender_id' }) senderId: string;
  @PrimaryColumn('text') address: string;
  @Column('timestamptz', { name: 'unsubscribed_at', nullable: true }) unsubscribedAt: Date | null;
  @Column('timestamptz', { name: 'bounced_at', nullable: true }) bouncedAt: Date | null;
  @Column('text', { name: 'bounce_reason', nullable: true }) bounceReason: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('coupons')
export class CouponEntity {
  @PrimaryColumn('text') code: string;
  @Column('uuid', { name: 'sender_id' }) senderId: string;
  @Column('uuid', { name: 'journey_id' }) journeyId: string;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('integer', { name: 'discount_percent', nullable: true }) discountPercent: number | null;
  @Column('numeric', { name: 'discount_amount', nullable: true }) discountAmount: string | null;
  @Column('char', { name: 'discount_currency', length: 3, nullable: true }) discountCurrency: string | null;
  @Column('date', { name: 'expires_on' }) expiresOn: string;
  @Column('timestamptz', { name: 'redeemed_at', nullable: true }) redeemedAt: Date | null;
  @Column('text', { name: 'order_reference', nullable: true }) orderReference: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('survey_responses')
export class SurveyResponseEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'message_id' }) messageId: string;
  @Column('uuid', { name: 'journey_id' }) journeyId: string;
  @Column('uuid', { name: 'sender_id' }) senderId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('integer') score: number;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('timestamptz', { name: 'answered_at' }) answeredAt: Date;
}
