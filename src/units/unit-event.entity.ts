import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of a unit's history. Ids are UUIDv7, so id order is time order. */
@Entity('unit_events')
export class UnitEventEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('timestamptz') at: Date;
  @Column('text') type: string;
  @Column('uuid', { name: 'actor_organization_id', nullable: true }) actorOrganizationId: string | null;
  @Column('uuid', { name: 'technician_id', nullable: true }) technicianId: string | null;
  @Column('text') summary: string;
  @Column('jsonb', { nullable: true }) data: Record<string, unknown> | null;
}
