import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { WarrantyTerms } from './warranty-terms.js';

@Entity('products')
export class ProductEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'manufacturer_id' }) manufacturerId: string;
  @Column('text') sku: string;
  @Column('text') name: string;
  @Column('text') category: string;
  @Column('jsonb', { name: 'warranty_terms' }) warrantyTerms: WarrantyTerms;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
