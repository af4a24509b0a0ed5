import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UnitStatus } from './unit.machine.js';

// the statuses are the machine's (unit.machine.ts); other modules read the type here, beside the row
export type { UnitStatus };

/** The owner as registered; birthDate and locale (BCP 47) serve the outreach to owners (docs/outreach.md). */
export interface OwnerData {
  name: string;
  email: string | null;
  phone: string | null;
  birthDate: string | null;
  marketingConsent: boolean;
  /** BCP 47; owners stored before locales were kept have none in the row: read it with `?? null`. */
  locale: string | null;
}

@Entity('units')
export class UnitEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'product_id' }) productId: string;
  @Column('uuid', { name: 'manufacturer_id' }) manufacturerId: string;
  @Column('uuid', { name: 'retailer_id', nullable: true }) retailerId: string | null;
  @Column('text', { name: 'serial_number' }) serialNumber: string;
  @Column('date', { name: 'purchase_date' }) purchaseDate: string;
  @Column('date', { name: 'delivery_date', nullable: true }) deliveryDate: string | null;
  @Column('numeric', { name: 'purchase_price_amount', nullable: true }) purchasePriceAmount: string | null;
  @Column('char', { name: 'purchase_price_currency', length: 3, nullable: true }) purchasePriceCurrency: string | null;
  @Column('text', { name: 'proof_of_purchase_ref', nullable: true }) proofOfPurchaseRef: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
  @Column('text') status: UnitStatus;
  @Column('jsonb', { nullable: true }) owner: OwnerData | null;
  @Column('uuid', { name: 'replacement_of_id', nullable: true }) replacementOfId: string | null;
  @Column('uuid', { name: 'replaced_by_id', nullable: true }) replacedById: string | null;
  /** Whether the replacement carries the original's coverage over (an exchange of a defective unit). */
  @Column('boolean', { name: 'carry_over', default: true }) carryOver: boolean;
  /** The service centers with a repair ticket for the unit, open or finished: they may see it (unit-visibility.ts). */
  @Column('uuid', { name: 'repair_org_ids', array: true, default: () => "'{}'" }) repairOrgIds: string[];
  /** The service center holding the unit's open repair ticket: it reads the owner's contact until the ticket is finished. */
  @Column('uuid', { name: 'open_repair_center_id', nullable: true }) openRepairCenterId: string | null;
  @Column('text', { name: 'import_key', nullable: true, select: false }) importKey: string | null;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
