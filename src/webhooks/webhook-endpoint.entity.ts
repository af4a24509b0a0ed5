import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where an organization wants its events, and the secrets that sign them. */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('text') url: string;
  @Column('text', { nullable: true }) description: string | null;
  /** Empty: every event type. */
  @Column('text', { name: 'event_types', array: true }) eventTypes: string[];
  @Column('boolean') enabled: boolean;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  /** The signing secret (whsec_…): it must be readable to sign, so it is never selected by default. */
  @Column('text', { select: false }) secret: string;
  /** The first characters of the secret, to tell secrets apart. */
  @Column('text', { name: 'secret_prefix' }) secretPrefix: string;
  /** The secret before the last rotation, signing beside the new one until previousSecretUntil. */
  @Column('text', { name: 'previous_secret', nullable: true, select: false }) previousSecret: string | null;
  @Column('timestamptz', { name: 'previous_secret_until', nullable: true }) previousSecretUntil: Date | null;
  /** When the first failed attempt since the last success happened; null while deliveries succeed. */
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('integer') version: number;
}
