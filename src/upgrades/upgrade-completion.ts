import type { EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError, validationError } from '../common/errors/error-results.js';
import type { Change } from '../common/lifecycle/lifecycle.js';
import type { ProductEntity } from '../products/product.entity.js';
import { changeUnitStatus, lockUnit, registerHandedOutUnit, type HandedOutUnit } from '../units/unit-changes.js';
import { unitReference } from '../units/unit-history.js';
import type { UnitEntity } from '../units/unit.entity.js';
import type { UpgradeRequestEntity } from './upgrade.entity.js';
import type { CompleteUpgradeInput } from './upgrade.inputs.js';
import type { UpgradeStatus } from './upgrade-request.machine.js';
import { upgradeReference } from './upgrade-visibility.js';
import { hasOpenRepairOrReturn, loadProduct, loadProgramOfRequest, loadUnit } from './upgrades.queries.js';

type UpgradeChange = Change<UpgradeStatus, UpgradeRequestEntity, { note: string | null }>;

/** The completion decided on the locked request: the grade's value, the old unit traded in, the new unit registered. */
export async function completeUpgrade(
  em: EntityManager,
  caller: Caller,
  current: UpgradeRequestEntity,
  input: CompleteUpgradeInput,
): Promise<UpgradeChange | ErrorResult> {
  const program = await loadProgramOfRequest(em, current);
  const grade = input.grade.trim();
  const value = program.tradeInValues.find((v) => v.grade === grade);
  if (!value)
    return validationError(
      'grade',
      `The program values grades ${program.tradeInValues.map((v) => v.grade).join(', ')}; not "${grade}".`,
    );
  const old = await tradeableUnit(em, current.unitId);
  if (old instanceof ErrorResult) return old;
  const product = await loadProduct(em, current.targetProductId);
  const newUnit = await registerNewUnit(em, caller, current, old, product, input);
  if (newUnit instanceof ErrorResult) return newUnit;
  await changeUnitStatus(
    em,
    caller,
    old,
    { status: 'TRADED_IN' },
    {
      summary: `Traded in for an upgrade to ${product.name}`,
      references: [upgradeReference(current), unitReference(newUnit)],
    },
  );
  return {
    to: 'COMPLETED',
    patch: { grade, tradeInValue: value.amount, newUnitId: newUnit.id },
    history: { note: `Grade ${grade}: ${value.amount} ${program.currency}` },
  };
}

/** The traded-in unit, locked: ACTIVE, with no repair or return opened since the request (docs/rules.md: OPEN_REPAIR_OR_RETURN). */
async function tradeableUnit(em: EntityManager, unitId: string): Promise<UnitEntity | ErrorResult> {
  await lockUnit(em, unitId);
  const unit = await loadUnit(em, unitId);
  if (unit.status !== 'ACTIVE')
    return new GenericError(ErrorCode.UNIT_NOT_ACTIVE, `The traded-in unit is ${unit.status}.`, 'upgradeId');
  if (await hasOpenRepairOrReturn(em, unit.id)) {
    return new GenericError(
      ErrorCode.NOT_ELIGIBLE,
      'The unit has an open repair ticket or return (OPEN_REPAIR_OR_RETURN): finish or cancel it first.',
      'upgradeId',
    );
  }
  return unit;
}

/** The new unit, registered to the old unit's owner; the grade and value stay on the request, shown to its parties only. */
async function registerNewUnit(
  em: EntityManager,
  caller: Caller,
  upgrade: UpgradeRequestEntity,
  old: UnitEntity,
  product: ProductEntity,
  input: CompleteUpgradeInput,
): Promise<(HandedOutUnit & { id: string }) | ErrorResult> {
  const newUnit: HandedOutUnit = {
    productId: product.id,
    manufacturerId: product.manufacturerId,
    // sold by the retailer that did the upgrade; a manufacturer's upgrade keeps the old unit's retailer
    retailerId: caller.organizationKind === 'RETAILER' ? caller.organizationId : old.retailerId,
    serialNumber: input.newSerialNumber.trim(),
    purchaseDate: input.purchaseDate,
    purchasePriceAmount: null,
    purchasePriceCurrency: null,
    proofOfPurchaseRef: null,
    owner: old.owner,
    replacementOfId: null,
    carryOver: true,
  };
  const id = await registerHandedOutUnit(
    em,
    caller,
    newUnit,
    {
      summary: `Registered as an upgrade to ${product.name}`,
      references: [upgradeReference(upgrade), unitReference(old)],
      payload: { upgradeId: upgrade.id, tradedInUnitId: old.id },
    },
    'newSerialNumber',
  );
  return id instanceof ErrorResult ? id : { ...newUnit, id };
}
