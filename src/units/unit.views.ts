import { ApiSchema } from '@nestjs/swagger';
import type { Caller } from '../common/auth/caller.js';
import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import {
  ApiBool,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiObject,
  ApiText,
} from '../common/openapi/properties.js';
import { UnitStatusEnum } from './unit.enums.js';
import type { UnitEventEntity } from './unit-event.entity.js';
import { historyDataFor, historyTechnicianFor } from './unit-history.js';
import type { UnitServicePlanEntity } from './unit-service-plan.entity.js';
import type { UnitEntity, UnitStatus } from './unit.entity.js';
import { canChangeUnit, canReadOwner } from './unit-visibility.js';

@ApiSchema({ name: 'Customer' })
class CustomerView {
  @ApiText('Ada Lovelace') name: string;
  @ApiText('ada@example.com', { nullable: true }) email: string | null;
  @ApiText('+15551234567', { nullable: true }) phone: string | null;
  @ApiBool(false) marketingConsent: boolean;
  @ApiText('it', { nullable: true, description: "The owner's language, BCP 47." }) locale: string | null;
  @ApiDay({ nullable: true }) birthDate: string | null;
}

@ApiSchema({ name: 'Unit', description: 'A sold unit; the owner only for callers who may read it.' })
export class UnitView {
  @ApiId() id: string;
  @ApiText('SN-0001') serialNumber: string;
  @ApiId() productId: string;
  @ApiId() manufacturerId: string;
  @ApiId({ nullable: true }) retailerId: string | null;
  @ApiDay() purchaseDate: string;
  @ApiDay({ nullable: true }) deliveryDate: string | null;
  @ApiMoney({ nullable: true }) purchasePrice: MoneyType | null;
  @ApiText('INV-2026-0042', { nullable: true }) proofOfPurchaseRef: string | null;
  @ApiDateTime() registeredAt: Date;
  @ApiEnum(UnitStatusEnum, 'UnitStatus') status: UnitStatus;
  @ApiNested(() => CustomerView, { nullable: true }) owner: CustomerView | null;
  @ApiId({ nullable: true }) replacementOfId: string | null;
  @ApiId({ nullable: true }) replacedById: string | null;
  @ApiInt(1) version: number;
  /**
   * Set (not enumerable) on the reduced unit an opener that may not see the unit reads on its
   * ticket: its plans and history are not shown either.
   */
  readonly ticketOnly?: true;
}

@ApiSchema({ name: 'UnitServicePlan' })
export class UnitServicePlanView {
  @ApiId() servicePlanId: string;
  @ApiDay() purchasedAt: string;
  @ApiDay() startsAt: string;
  @ApiDay() endsAt: string;
}

@ApiSchema({ name: 'UnitEvent', description: "A row of a unit's history." })
export class UnitEventView {
  @ApiId() id: string;
  @ApiDateTime() at: Date;
  @ApiText('REGISTERED') type: string;
  @ApiId({ nullable: true }) actorOrganizationId: string | null;
  @ApiId({ nullable: true }) technicianId: string | null;
  @ApiText('Registered by the retailer') summary: string;
  @ApiObject('What the event changed, as far as this reader may see it.', { nullable: true }) data: Record<
    string,
    unknown
  > | null;
}

/**
 * The unit as shown to a caller who may see it (unit-visibility.ts): the owner only to those who
 * may read it (canReadOwner), with the language the outreach uses; the birth date only to the
 * unit's keepers (a service center with an open ticket reads the owner's contact, not more).
 */
export const toUnitView = (u: UnitEntity, caller: Caller): UnitView =>
  typed(
    {
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
      owner:
        u.owner && canReadOwner(caller, u)
          ? {
              name: u.owner.name,
              email: u.owner.email,
              phone: u.owner.phone,
              marketingConsent: u.owner.marketingConsent,
              locale: u.owner.locale ?? null,
              birthDate: canChangeUnit(caller, u) ? u.owner.birthDate : null,
            }
          : null,
      replacementOfId: u.replacementOfId,
      replacedById: u.replacedById,
      version: u.version,
    },
    'Unit',
  );

/**
 * The unit on a repair ticket, for the organization that opened the ticket but may not see the
 * unit (docs/rules.md): the product, serial number and what coverage is computed from, nothing more.
 * No owner, price, retailer, delivery date or links to other units; no plans or history (the
 * field resolvers check ticketOnly).
 */
export function toTicketUnitView(u: UnitEntity): UnitView {
  const view = typed<UnitView>(
    {
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
    },
    'Unit',
  );
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
