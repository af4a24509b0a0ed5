import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A domain event, written in the same transaction as the change it describes. */
@Entity('outbox_events')
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('text', { name: 'aggregate_type' }) aggregateType: string;
  @Column('uuid', { name: 'aggregate_id' }) aggregateId: string;
  @Column('uuid', { name: 'actor_organization_id', nullable: true }) actorOrganizationId: string | null;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  /** The order the relay published it in; replicas read published events in this order. */
  @Column('bigint', { name: 'publish_seq', nullable: true }) publishSeq: string | null;
}
