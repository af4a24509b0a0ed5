import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const ORGANIZATION_KINDS = [
  'MANUFACTURER',
  'RETAILER',
  'SERVICE_CENTER',
  /** The platform operator's own organization; holds the operator keys. */
  'PLATFORM',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') kind: OrganizationKind;
  @Column('numeric', { name: 'labor_rate_amount', nullable: true }) laborRateAmount: string | null;
  @Column('char', { name: 'labor_rate_currency', length: 3, nullable: true }) laborRateCurrency: string | null;
  @Column('int', { name: 'turnaround_days', nullable: true }) turnaroundDays: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
