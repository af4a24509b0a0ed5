import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One attempt as the delivery log shows it. */
export interface WebhookAttempt {
  at: string;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
}

/** One message to one endpoint, with every attempt made to deliver it. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'endpoint_id' }) endpointId: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  /** The outbox event it was fanned out from; null for a test message. */
  @Column('bigint', { name: 'event_id', nullable: true }) eventId: string | null;
  /** The webhook-id header, the same on every attempt. */
  @Column('text', { name: 'message_id' }) messageId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  /** The body exactly as signed and sent. */
  @Column('text') body: string;
  @Column('text') status: WebhookDeliveryStatus;
  @Column('jsonb') attempts: WebhookAttempt[];
  /** Scheduled retries made so far: the position in WEBHOOK_RETRY_SCHEDULE. */
  @Column('integer', { name: 'scheduled_retries' }) scheduledRetries: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  @Column('uuid', { name: 'lease_token', nullable: true }) leaseToken: string | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
