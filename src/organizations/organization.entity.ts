import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type OrganizationKind = 'MANUFACTURER' | 'RETAILER' | 'SERVICE_CENTER' | 'PLATFORM';

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
