import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CoverageType, FailureCategory } from './warranty-terms.js';

@Entity('service_plans')
export class ServicePlanEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'provider_id' }) providerId: string;
  @Column('text') name: string;
  @Column('int', { name: 'duration_months' }) durationMonths: number;
  @Column('boolean', { name: 'starts_after_base_warranty' }) startsAfterBaseWarranty: boolean;
  @Column('text', { name: 'coverage_types', array: true }) coverageTypes: CoverageType[];
  @Column('text', { name: 'excluded_failures', array: true }) excludedFailures: FailureCategory[];
  @Column('text', { name: 'eligible_categories', array: true }) eligibleCategories: string[];
  @Column('int', { name: 'purchase_window_days' }) purchaseWindowDays: number;
  @Column('int', { name: 'max_claims', nullable: true }) maxClaims: number | null;
  @Column('numeric', { name: 'deductible_amount', nullable: true }) deductibleAmount: string | null;
  @Column('char', { name: 'deductible_currency', length: 3, nullable: true }) deductibleCurrency: string | null;
  @Column('numeric', { name: 'price_amount' }) priceAmount: string;
  @Column('char', { name: 'price_currency', length: 3 }) priceCurrency: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
