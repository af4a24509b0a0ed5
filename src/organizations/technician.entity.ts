import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('technicians')
export class TechnicianEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'service_center_id' }) serviceCenterId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) email: string | null;
  @Column('boolean', { default: true }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
