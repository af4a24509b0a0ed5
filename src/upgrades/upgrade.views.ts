import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiId,
  ApiIds,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { IneligibleReasonEnum, UpgradeStatusEnum } from './upgrade.enums.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { UpgradeProgramEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import type { IneligibleReason } from './upgrade-eligibility.js';
import type { UpgradeStatus } from './upgrade-request.machine.js';

@ApiSchema({ name: 'TradeInValue' })
export class TradeInValueView {
  @ApiText('A') grade: string;
  @ApiMoney() value: MoneyType;
}

@ApiSchema({ name: 'UpgradeProgram' })
export class UpgradeProgramView {
  @ApiId() id: string;
  @ApiId() ownerId: string;
  @ApiText('Trade up to the new fridge') name: string;
  @ApiProperty({ type: String, isArray: true, example: ['FRIDGE'] }) eligibleCategories: string[];
  @ApiIds() targetProductIds: string[];
  @ApiInt(12) minMonthsOwned: number;
  @ApiInt(60, { nullable: true }) maxUnitAgeMonths: number | null;
  @ApiBool(false) requiresActiveCoverage: boolean;
  @ApiNested(() => TradeInValueView, { isArray: true }) tradeInValues: TradeInValueView[];
  @ApiDay() validFrom: string;
  @ApiDay({ nullable: true }) validUntil: string | null;
}

export function toProgramView(p: UpgradeProgramEntity): UpgradeProgramView {
  return typed(
    {
      id: p.id,
      ownerId: p.ownerId,
      name: p.name,
      eligibleCategories: p.eligibleCategories,
      targetProductIds: p.targetProductIds,
      minMonthsOwned: p.minMonthsOwned,
      maxUnitAgeMonths: p.maxUnitAgeMonths,
      requiresActiveCoverage: p.requiresActiveCoverage,
      tradeInValues: p.tradeInValues.map((v) => ({ grade: v.grade, value: moneyOrNull(v.amount, p.currency)! })),
      validFrom: p.validFrom,
      validUntil: p.validUntil,
    },
    'UpgradeProgram',
  );
}

@ApiSchema({ name: 'UpgradeOffer' })
export class UpgradeOfferView {
  @ApiNested(() => UpgradeProgramView) program: UpgradeProgramView;
  @ApiBool(true) eligible: boolean;
  @ApiEnum(IneligibleReasonEnum, 'IneligibleReason', { isArray: true }) reasons: IneligibleReason[];
  @ApiDay({ nullable: true, description: 'The first day the unit becomes eligible, when only time stands in the way.' })
  eligibleFrom: string | null;
  @ApiMoney() maxTradeInValue: MoneyType;
}

@ApiSchema({ name: 'UpgradeEligibility' })
export class UpgradeEligibilityView {
  @ApiId() unitId: string;
  @ApiDay() asOf: string;
  @ApiNested(() => UpgradeOfferView, { isArray: true }) offers: UpgradeOfferView[];
}

@ApiSchema({ name: 'UpgradeRequest' })
export class UpgradeRequestView {
  @ApiId() id: string;
  @ApiId() unitId: string;
  @ApiId() programId: string;
  @ApiId() targetProductId: string;
  @ApiId() requestedById: string;
  @ApiEnum(UpgradeStatusEnum, 'UpgradeStatus') status: UpgradeStatus;
  @ApiText('A', { nullable: true }) grade: string | null;
  @ApiMoney({ nullable: true }) tradeInValue: MoneyType | null;
  @ApiId({ nullable: true }) newUnitId: string | null;
  @ApiDateTime() createdAt: Date;
  @ApiInt(1) version: number;
}

export function toUpgradeView(r: UpgradeRequestEntity): UpgradeRequestView {
  return typed(
    {
      id: r.id,
      unitId: r.unitId,
      programId: r.programId,
      targetProductId: r.targetProductId,
      requestedById: r.requestedById,
      status: r.status,
      grade: r.grade,
      tradeInValue: moneyOrNull(r.tradeInValue, r.currency),
      newUnitId: r.newUnitId,
      createdAt: r.createdAt,
      version: r.version,
    },
    'UpgradeRequest',
  );
}
