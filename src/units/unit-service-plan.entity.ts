import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('unit_service_plans')
export class UnitServicePlanEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('uuid', { name: 'service_plan_id' }) servicePlanId: string;
  @Column('date', { name: 'purchased_at' }) purchasedAt: string;
  @Column('date', { name: 'starts_at' }) startsAt: string;
  @Column('date', { name: 'ends_at' }) endsAt: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
