import type { Caller } from '../common/auth/caller.js';
import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { UnitEventEntity } from './unit-event.entity.js';
import { historyDataFor, historyTechnicianFor } from './unit-history.js';
import type { UnitServicePlanEntity } from './unit-service-plan.entity.js';
import type { UnitEntity, UnitStatus } from './unit.entity.js';
import { canReadOwner } from './unit-visibility.js';

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
  /**
   * Set (not enumerable) on the reduced unit an opener that may not see the unit reads on its
   * ticket: its plans and history are not shown either.
   */
  readonly ticketOnly?: true;
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

/**
 * The unit as shown to a caller who may see it (unit-visibility.ts): the owner only to those who
 * may read it (canReadOwner), and never the birth date.
 */
export const toUnitView = (u: UnitEntity, caller: Caller): UnitView =>
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
    owner: u.owner && canReadOwner(caller, u)
      ? { name: u.owner.name, email: u.owner.email, phone: u.owner.phone, marketingConsent: u.owner.marketingConsent }
      : null,
    replacementOfId: u.replacementOfId,
    replacedById: u.replacedById,
    version: u.version,
  }, 'Unit');

/**
 * The unit on a repair ticket, for the organization that opened the ticket but may not see the
 * unit (DOMAIN.md): the product, serial number and what coverage is computed from, nothing more.
 * No owner, price, retailer, delivery date or links to other units; no plans or history (the
 * field resolvers check ticketOnly).
 */
export function toTicketUnitView(u: UnitEntity): UnitView {
  const view = typed<UnitView>({
    id: u.id,
    serialNumber: u.serialNumber,
    productId: u.productId,
    manufacturerId: u.manufacturerId,
    retailerId: null,
    purchaseDate: u.purchaseDate,
    deliveryDate: null,
    purchasePrice: null,
    proofOfPurchaseRef: null,
    registeredAt: u.registeredAt,
    status: u.status,
    owner: null,
    replacementOfId: null,
    replacedById: null,
    version: u.version,
  }, 'Unit');
  Object.defineProperty(view, 'ticketOnly', { value: true, enumerable: false });
  return view;
}

export const toUnitServicePlanView = (p: UnitServicePlanEntity): UnitServicePlanView => ({
  servicePlanId: p.servicePlanId,
  purchasedAt: p.purchasedAt,
  startsAt: p.startsAt,
  endsAt: p.endsAt,
});

/** A history row as this reader sees it: links and technicians only for those who may see them (unit-history.ts). */
export const toUnitEventView = (e: UnitEventEntity, caller: Caller): UnitEventView => ({
  id: e.id,
  at: e.at,
  type: e.type,
  actorOrganizationId: e.actorOrganizationId,
  technicianId: historyTechnicianFor(caller, e),
  summary: e.summary,
  data: historyDataFor(caller, e.data),
});
