import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { UnitEventEntity } from './unit-event.entity.js';
import type { UnitServicePlanEntity } from './unit-service-plan.entity.js';
import type { UnitEntity, UnitStatus } from './unit.entity.js';

export interface CustomerView {
  name: string;
  email: string | null;
  phone: string | null;
  marketingConsent: boolean;
}

export interface UnitView {
  id: string;
  serialNumber: string;
  productId: string;
  manufacturerId: string;
  retailerId: string | null;
  purchaseDate: string;
  deliveryDate: string | null;
  purchasePrice: MoneyType | null;
  proofOfPurchaseRef: string | null;
  registeredAt: Date;
  status: UnitStatus;
  owner: CustomerView | null;
  replacementOfId: string | null;
  replacedById: string | null;
  version: number;
}

export interface UnitServicePlanView {
  servicePlanId: string;
  purchasedAt: string;
  startsAt: string;
  endsAt: string;
}

export interface UnitEventView {
  id: string;
  at: Date;
  type: string;
  actorOrganizationId: string | null;
  technicianId: string | null;
  summary: string;
  data: Record<string, unknown> | null;
}

/** The owner as shown to those who may see the unit: birth date is never shown. */
export const toUnitView = (u: UnitEntity): UnitView =>
  typed({
    id: u.id,
    serialNumber: u.serialNumber,
    productId: u.productId,
    manufacturerId: u.manufacturerId,
    retailerId: u.retailerId,
    purchaseDate: u.purchaseDate,
    deliveryDate: u.deliveryDate,
    purchasePrice: moneyOrNull(u.purchasePriceAmount, u.purchasePriceCurrency),
    proofOfPurchaseRef: u.proofOfPurchaseRef,
    registeredAt: u.registeredAt,
    status: u.status,
    owner: u.owner
      ? { name: u.owner.name, email: u.owner.email, phone: u.owner.phone, marketingConsent: u.owner.marketingConsent }
      : null,
    replacementOfId: u.replacementOfId,
    replacedById: u.replacedById,
    version: u.version,
  }, 'Unit');

export const toUnitServicePlanView = (p: UnitServicePlanEntity): UnitServicePlanView => ({
  servicePlanId: p.servicePlanId,
  purchasedAt: p.purchasedAt,
  startsAt: p.startsAt,
  endsAt: p.endsAt,
});

export const toUnitEventView = (e: UnitEventEntity): UnitEventView => ({
  id: e.id,
  at: e.at,
  type: e.type,
  actorOrganizationId: e.actorOrganizationId,
  technicianId: e.technicianId,
  summary: e.summary,
  data: e.data,
});
