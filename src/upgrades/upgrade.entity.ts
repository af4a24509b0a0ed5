import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UpgradeStatus } from './upgrade-request.machine.js';

/** A trade-in value as stored: the amount is decimal text in the program's currency. */
export interface StoredTradeInValue {
  grade: string;
  amount: string;
}

@Entity('upgrade_programs')
export class UpgradeProgramEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') name: string;
  @Column('text', { name: 'eligible_categories', array: true }) eligibleCategories: string[];
  @Column('uuid', { name: 'target_product_ids', array: true }) targetProductIds: string[];
  @Column('int', { name: 'min_months_owned' }) minMonthsOwned: number;
  @Column('int', { name: 'max_unit_age_months', nullable: true }) maxUnitAgeMonths: number | null;
  @Column('boolean', { name: 'requires_active_coverage' }) requiresActiveCoverage: boolean;
  @Column('jsonb', { name: 'trade_in_values' }) tradeInValues: StoredTradeInValue[];
  @Column('char', { length: 3 }) currency: string;
  @Column('date', { name: 'valid_from' }) validFrom: string;
  @Column('date', { name: 'valid_until', nullable: true }) validUntil: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('upgrade_requests')
export class UpgradeRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('uuid', { name: 'program_id' }) programId: string;
  @Column('uuid', { name: 'program_owner_id' }) programOwnerId: string;
  @Column('uuid', { name: 'requested_by_id' }) requestedById: string;
  @Column('uuid', { name: 'target_product_id' }) targetProductId: string;
  @Column('text') status: UpgradeStatus;
  @Column('text', { nullable: true }) grade: string | null;
  @Column('numeric', { name: 'trade_in_value', nullable: true }) tradeInValue: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column('uuid', { name: 'new_unit_id', nullable: true }) newUnitId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('upgrade_history')
export class UpgradeHistoryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'upgrade_id' }) upgradeId: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: UpgradeStatus | null;
  @Column('text', { name: 'to_status' }) toStatus: UpgradeStatus;
  @Column('timestamptz') at: Date;
  @Column('uuid', { name: 'actor_organization_id' }) actorOrganizationId: string;
  @Column('text', { nullable: true }) note: string | null;
}
