import { Column, Entity, PrimaryColumn } from 'typeorm';

export const PRODUCT_RESOURCE_KINDS = [
  'MANUAL',
  'INSTALLATION_GUIDE',
  'TUTORIAL',
  'VIDEO',
  'TRAINING_COURSE',
  'FAQ',
  'SUPPORT_CONTACT',
] as const;
export type ProductResourceKind = (typeof PRODUCT_RESOURCE_KINDS)[number];

/** A manual, guide, course or support contact for a product, kept by its manufacturer; locale null: every language. */
@Entity('product_resources')
export class ProductResourceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('text') kind: ProductResourceKind;
  @Column('text') title: string;
  @Column('text') url: string;
  @Column('text', { nullable: true }) locale: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
