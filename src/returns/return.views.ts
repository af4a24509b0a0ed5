import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { CoverageStartEnum } from '../products/product.enums.js';
import type { CoverageStart } from '../products/warranty-terms.js';
import { CoverageAtIntakeView } from '../warranty/coverage.views.js';
import { ItemConditionEnum, ReturnReasonEnum, ReturnResolutionEnum, ReturnStatusEnum } from './return.enums.js';
import type { ItemCondition, ReturnReason, ReturnResolution } from './return-rules.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import type { ReturnEntity, ReturnHistoryEntity, ReturnLineEntity, ReturnPolicyEntity } from './return.entity.js';
import type { ReturnStatus } from './return.machine.js';

@ApiSchema({ name: 'ReturnPolicy' })
export class ReturnPolicyView implements Omit<ReturnPolicyEntity, 'createdAt'> {
  @ApiId() id: string;
  @ApiId() retailerId: string;
  @ApiText('Standard returns') name: string;
  @ApiProperty({
    type: String,
    isArray: true,
    example: ['FRIDGE'],
    description: 'Product categories it applies to; empty for the default policy.',
  })
  categories: string[];
  @ApiInt(30) windowDays: number;
  @ApiInt(60, { nullable: true }) unopenedWindowDays: number | null;
  @ApiEnum(CoverageStartEnum, 'CoverageStart') windowStartsFrom: CoverageStart;
  @ApiDay({ nullable: true }) holidayPurchaseStart: string | null;
  @ApiDay({ nullable: true }) holidayPurchaseEnd: string | null;
  @ApiDay({ nullable: true }) holidayReturnUntil: string | null;
  @ApiText('15', { description: 'Decimal percent as a string.' }) restockingFeePercent: string;
  @ApiBool(true) waiveFeeWhenRetailerAtFault: boolean;
  @ApiEnum(ReturnResolutionEnum, 'ReturnResolution', { isArray: true }) allowedResolutions: ReturnResolution[];
  @ApiInt(14) shipWithinDays: number;
}

export function toPolicyView(p: ReturnPolicyEntity): ReturnPolicyView {
  const { createdAt: _createdAt, ...view } = p;
  return typed({ ...view, restockingFeePercent: trimDecimal(p.restockingFeePercent) }, 'ReturnPolicy');
}

@ApiSchema({ name: 'ReturnLine' })
export class ReturnLineView {
  @ApiId() id: string;
  @ApiInt(1) position: number;
  @ApiId() unitId: string;
  @ApiEnum(ReturnReasonEnum, 'ReturnReason') reason: ReturnReason;
  @ApiEnum(ItemConditionEnum, 'ItemCondition') condition: ItemCondition;
  @ApiEnum(ReturnResolutionEnum, 'ReturnResolution') requestedResolution: ReturnResolution;
  @ApiEnum(ReturnResolutionEnum, 'ReturnResolution', { nullable: true }) resolution: ReturnResolution | null;
  @ApiMoney({ nullable: true }) expectedRefund: MoneyType | null;
  @ApiMoney({ nullable: true }) restockingFee: MoneyType | null;
  @ApiMoney({ nullable: true }) refundedAmount: MoneyType | null;
  @ApiText('A', { nullable: true }) inspectionGrade: string | null;
  @ApiEnum(ItemConditionEnum, 'ItemCondition', { nullable: true }) inspectedCondition: ItemCondition | null;
  @ApiId({ nullable: true }) replacementUnitId: string | null;
  @ApiId({ nullable: true }) repairTicketId: string | null;
}

@ApiSchema({ name: 'ReturnStatusChange' })
export class ReturnStatusChangeView {
  @ApiEnum(ReturnStatusEnum, 'ReturnStatus', { nullable: true }) from: ReturnStatus | null;
  @ApiEnum(ReturnStatusEnum, 'ReturnStatus') to: ReturnStatus;
  @ApiDateTime() at: Date;
  @ApiId({ nullable: true }) actorOrganizationId: string | null;
  @ApiText('Shipped with UPS', { nullable: true }) note: string | null;
}

@ApiSchema({
  name: 'WarrantyAlternative',
  description: 'Coverage the unit has instead, offered when a return is refused.',
})
class WarrantyAlternativeView extends CoverageAtIntakeView {
  @ApiId() unitId: string;
}

@ApiSchema({ name: 'ReturnAuthorization' })
export class ReturnView {
  @ApiId() id: string;
  @ApiText('RMA-000042') number: string;
  @ApiId() retailerId: string;
  @ApiEnum(ReturnStatusEnum, 'ReturnStatus') status: ReturnStatus;
  @ApiId({ nullable: true }) policyId: string | null;
  @ApiDay() requestedOn: string;
  @ApiNested(() => ReturnLineView, { isArray: true }) lines: ReturnLineView[];
  @ApiText('RETURN_WINDOW_EXPIRED', { nullable: true }) rejectionReason: string | null;
  @ApiText('The return window ended on 2026-02-01.', { nullable: true }) rejectionMessage: string | null;
  @ApiInt(1, { nullable: true }) rejectedLine: number | null;
  @ApiNested(() => WarrantyAlternativeView, { nullable: true }) warrantyAlternative:
    (CoverageVerdict & { serialNumber: string; unitId: string }) | null;
  @ApiText('1Z999AA10123456784', { nullable: true }) trackingNumber: string | null;
  @ApiText('UPS', { nullable: true }) carrier: string | null;
  @ApiDay({ nullable: true }) shipBy: string | null;
  @ApiNested(() => ReturnStatusChangeView, { isArray: true }) history: ReturnStatusChangeView[];
  @ApiDateTime() createdAt: Date;
  @ApiInt(1) version: number;
}

export function toReturnView(r: ReturnEntity, lines: ReturnLineEntity[], history: ReturnHistoryEntity[]): ReturnView {
  return typed(
    {
      id: r.id,
      number: r.number,
      retailerId: r.retailerId,
      status: r.status,
      policyId: r.policyId,
      requestedOn: r.requestedOn,
      lines: lines
        .sort((a, b) => a.position - b.position)
        .map((l) => ({
          id: l.id,
          position: l.position,
          unitId: l.unitId,
          reason: l.reason,
          condition: l.condition,
          requestedResolution: l.requestedResolution,
          resolution: l.resolution,
          expectedRefund: moneyOrNull(l.expectedRefund, l.currency),
          restockingFee: moneyOrNull(l.restockingFee, l.currency),
          refundedAmount: moneyOrNull(l.refundedAmount, l.currency),
          inspectionGrade: l.inspectionGrade,
          inspectedCondition: l.inspectedCondition,
          replacementUnitId: l.replacementUnitId,
          repairTicketId: l.repairTicketId,
        })),
      rejectionReason: r.rejectionReason,
      rejectionMessage: r.rejectionMessage,
      rejectedLine: r.rejectedLine,
      warrantyAlternative: r.warrantyAlternative,
      trackingNumber: r.trackingNumber,
      carrier: r.carrier,
      shipBy: r.shipBy,
      history: history.map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        at: h.at,
        actorOrganizationId: h.actorOrganizationId,
        note: h.note,
      })),
      createdAt: r.createdAt,
      version: r.version,
    },
    'ReturnAuthorization',
  );
}

/** "15.0000" as stored reads "15". */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
