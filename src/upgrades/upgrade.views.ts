import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { UpgradeProgramEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import type { IneligibleReason } from './upgrade-eligibility.js';

export interface UpgradeProgramView {
  id: string;
  ownerId: string;
  name: string;
  eligibleCategories: string[];
  targetProductIds: string[];
  minMonthsOwned: number;
  maxUnitAgeMonths: number | null;
  requiresActiveCoverage: boolean;
  tradeInValues: { grade: string; value: MoneyType }[];
  validFrom: string;
  validUntil: string | null;
}

export function toProgramView(p: UpgradeProgramEntity): UpgradeProgramView {
  return typed({
    id: p.id, ownerId: p.ownerId, name: p.name, eligibleCategories: p.eligibleCategories, targetProductIds: p.targetProductIds,
    minMonthsOwned: p.minMonthsOwned, maxUnitAgeMonths: p.maxUnitAgeMonths, requiresActiveCoverage: p.requiresActiveCoverage,
    tradeInValues: p.tradeInValues.map((v) => ({ grade: v.grade, value: moneyOrNull(v.amount, p.currency)! })),
    validFrom: p.validFrom, validUntil: p.validUntil,
  }, 'UpgradeProgram');
}

export interface UpgradeOfferView {
  program: UpgradeProgramView;
  eligible: boolean;
  reasons: IneligibleReason[];
  eligibleFrom: string | null;
  maxTradeInValue: MoneyType;
}

export interface UpgradeEligibilityView {
  unitId: string;
  asOf: string;
  offers: UpgradeOfferView[];
}

export interface UpgradeRequestView {
  id: string;
  unitId: string;
  programId: string;
  targetProductId: string;
  requestedById: string;
  status: string;
  grade: string | null;
  tradeInValue: MoneyType | null;
  newUnitId: string | null;
  createdAt: Date;
  version: number;
}

export function toUpgradeView(r: UpgradeRequestEntity): UpgradeRequestView {
  return typed({
    id: r.id, unitId: r.unitId, programId: r.programId, targetProductId: r.targetProductId, requestedById: r.requestedById, status: r.status,
    grade: r.grade, tradeInValue: moneyOrNull(r.tradeInValue, r.currency), newUnitId: r.newUnitId, createdAt: r.createdAt, version: r.version,
  }, 'UpgradeRequest');
}
