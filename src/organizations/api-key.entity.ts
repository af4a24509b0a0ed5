import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const API_KEY_ROLES = ['ADMIN', 'STAFF', 'TECHNICIAN', 'READONLY'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'organization_id' }) organizationId: string;
  @Column('uuid', { name: 'technician_id', nullable: true }) technicianId: string | null;
  @Column('text') name: string;
  @Column('text') role: ApiKeyRole;
  @Column('text') prefix: string;
  /** SHA-256 of the whole key, hex: the key itself is never stored. */
  @Column('text', { name: 'secret_hash', select: false }) secretHash: string;
  @Column('boolean', { name: 'from_env', default: false }) fromEnv: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
