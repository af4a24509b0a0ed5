import type { EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { applyChange } from '../common/lifecycle/lifecycle.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError } from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { uniqueViolation } from '../common/lifecycle/transaction.js';
import { UnitEntity } from './unit.entity.js';
import { UNIT_LIFECYCLE, type UnitChangeHistory } from './unit.lifecycle.js';
import { UNIT_MACHINE } from './unit.machine.js';
import { recordUnitHistory } from './units.service.js';

/**
 * Changes to units made by other modules (claims, repairs, returns, upgrades), in the caller's
 * transaction, each with its history row and outbox event.
 */

/** Serializes work on one unit (claims, tickets, upgrades), so each sees what the one before did. */
export async function lockUnit(em: EntityManager, unitId: string): Promise<void> {
  await em.query(`SELECT id FROM units WHERE id = $1 FOR UPDATE`, [unitId]);
}

/** A unit's new status (RETURNED, REPLACED, TRADED_IN) through its lifecycle (unit.machine.ts). */
export async function changeUnitStatus(
  em: EntityManager,
  caller: Caller,
  unit: UnitEntity,
  patch: Pick<UnitEntity, 'status'> & Partial<UnitEntity>,
  history: UnitChangeHistory,
): Promise<void> {
  const { status, ...rest } = patch;
  await applyChange(em, UNIT_LIFECYCLE, { caller, id: unit.id, decide: () => ({ to: status, patch: rest, history }) });
}

/** What a unit handed out for another one (an exchange, an upgrade) is registered with. */
export type HandedOutUnit = Pick<
  UnitEntity,
  | 'productId'
  | 'manufacturerId'
  | 'retailerId'
  | 'serialNumber'
  | 'purchaseDate'
  | 'purchasePriceAmount'
  | 'purchasePriceCurrency'
  | 'proofOfPurchaseRef'
  | 'owner'
  | 'replacementOfId'
  | 'carryOver'
>;

/**
 * Registers a unit handed out for another one. A serial number the manufacturer already has is
 * DUPLICATE_SERIAL_NUMBER naming `field`, and the caller's transaction goes on (a savepoint).
 */
export async function registerHandedOutUnit(
  em: EntityManager,
  caller: Caller,
  unit: HandedOutUnit,
  history: UnitChangeHistory & { payload: Record<string, unknown> },
  field: string,
): Promise<string | GenericError> {
  const id = newId();
  await em.query('SAVEPOINT handed_out_unit');
  try {
    await em.insert(UnitEntity, {
      ...unit,
      id,
      deliveryDate: null,
      registeredAt: new Date(),
      status: UNIT_MACHINE.declaration.initial,
      replacedById: null,
      version: 1,
      updatedAt: new Date(),
    });
    await em.query('RELEASE SAVEPOINT handed_out_unit');
  } catch (error) {
    if (uniqueViolation(error) !== 'units_manufacturer_serial_key') throw error;
    await em.query('ROLLBACK TO SAVEPOINT handed_out_unit');
    return new GenericError(
      ErrorCode.DUPLICATE_SERIAL_NUMBER,
      `The manufacturer already has a unit with serial number "${unit.serialNumber}".`,
      field,
    );
  }
  await recordUnitHistory(em, caller, [
    { unitId: id, type: 'REGISTERED', summary: history.summary, references: history.references },
  ]);
  await recordEvents(em, caller, [
    {
      type: 'UnitRegistered',
      aggregateType: 'Unit',
      aggregateId: id,
      payload: { unitId: id, serialNumber: unit.serialNumber, ...history.payload },
    },
  ]);
  return id;
}
