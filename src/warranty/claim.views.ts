import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { FailureCategoryEnum } from '../products/product.enums.js';
import { ClaimLineKindEnum } from './claim.enums.js';
import { CLAIM_STATUSES } from './warranty-claim.machine.js';
import { CoverageView } from './coverage.views.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { ClaimHistoryEntity, ClaimLineKind, StoredClaimLine, WarrantyClaimEntity } from './claim.entity.js';
import type { CoverageInForce } from './coverage-engine.js';

@ApiSchema({ name: 'ClaimLine' })
class ClaimLineView implements Omit<StoredClaimLine, 'unitAmount' | 'total'> {
  @ApiEnum(ClaimLineKindEnum, 'ClaimLineKind') kind: ClaimLineKind;
  @ApiText('Compressor') description: string;
  @ApiText('CMP-7', { nullable: true }) partNumber: string | null;
  @ApiText('L-100', { nullable: true }) laborCode: string | null;
  @ApiText('1', { description: 'Decimal quantity as a string.' }) quantity: string;
  @ApiMoney() unitAmount: MoneyType;
  @ApiMoney() total: MoneyType;
}

@ApiSchema({ name: 'ClaimStatusChange' })
export class ClaimStatusChangeView {
  @ApiEnum(CLAIM_STATUSES, 'ClaimStatus', { nullable: true }) from: string | null;
  @ApiEnum(CLAIM_STATUSES, 'ClaimStatus') to: string;
  @ApiDateTime() at: Date;
  @ApiId() actorOrganizationId: string;
  @ApiText('NOT_COVERED', { nullable: true }) reasonCode: string | null;
  @ApiText('Photos attached', { nullable: true }) note: string | null;
}

@ApiSchema({ name: 'WarrantyClaim' })
export class WarrantyClaimView {
  @ApiId() id: string;
  @ApiText('WC-000042') number: string;
  @ApiId() unitId: string;
  @ApiId() claimantId: string;
  @ApiId() manufacturerId: string;
  @ApiEnum(CLAIM_STATUSES, 'ClaimStatus') status: string;
  @ApiEnum(FailureCategoryEnum, 'FailureCategory') failureCategory: string;
  @ApiDay() failureDate: string;
  @ApiText('Does not cool') description: string;
  @ApiNested(() => ClaimLineView, { isArray: true }) lines: ClaimLineView[];
  @ApiMoney() requestedTotal: MoneyType;
  @ApiMoney({ nullable: true }) approvedTotal: MoneyType | null;
  @ApiNested(() => CoverageView, { nullable: true }) coverage: CoverageInForce | null;
  @ApiProperty({ type: String, isArray: true, example: [] }) flags: string[];
  @ApiId({ nullable: true }) repairTicketId: string | null;
  @ApiNested(() => ClaimStatusChangeView, { isArray: true }) history: ClaimStatusChangeView[];
  @ApiDateTime() submittedAt: Date;
  @ApiInt(1) version: number;
}

export function toClaimView(c: WarrantyClaimEntity, history: ClaimHistoryEntity[]): WarrantyClaimView {
  return typed(
    {
      id: c.id,
      number: c.number,
      unitId: c.unitId,
      claimantId: c.claimantId,
      manufacturerId: c.manufacturerId,
      status: c.status,
      failureCategory: c.failureCategory,
      failureDate: c.failureDate,
      description: c.description,
      lines: c.lines.map((l) => ({
        ...l,
        unitAmount: moneyOrNull(l.unitAmount, c.currency)!,
        total: moneyOrNull(l.total, c.currency)!,
      })),
      requestedTotal: moneyOrNull(c.requestedTotal, c.currency)!,
      approvedTotal: moneyOrNull(c.approvedTotal, c.currency),
      coverage: c.coverage,
      flags: c.flags,
      repairTicketId: c.repairTicketId,
      history: history.map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        at: h.at,
        actorOrganizationId: h.actorOrganizationId,
        reasonCode: h.reasonCode,
        note: h.note,
      })),
      submittedAt: c.submittedAt,
      version: c.version,
    },
    'WarrantyClaim',
  );
}
