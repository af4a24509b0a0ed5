import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { ClaimHistoryEntity, StoredClaimLine, WarrantyClaimEntity } from './claim.entity.js';
import type { CoverageInForce } from './coverage-engine.js';

export interface ClaimLineView extends Omit<StoredClaimLine, 'unitAmount' | 'total'> {
  unitAmount: MoneyType;
  total: MoneyType;
}

export interface ClaimStatusChangeView {
  from: string | null;
  to: string;
  at: Date;
  actorOrganizationId: string;
  reasonCode: string | null;
  note: string | null;
}

export interface WarrantyClaimView {
  id: string;
  number: string;
  unitId: string;
  claimantId: string;
  manufacturerId: string;
  status: string;
  failureCategory: string;
  failureDate: string;
  description: string;
  lines: ClaimLineView[];
  requestedTotal: MoneyType;
  approvedTotal: MoneyType | null;
  coverage: CoverageInForce | null;
  flags: string[];
  repairTicketId: string | null;
  history: ClaimStatusChangeView[];
  submittedAt: Date;
  version: number;
}

export function toClaimView(c: WarrantyClaimEntity, history: ClaimHistoryEntity[]): WarrantyClaimView {
  return typed({
    id: c.id,
    number: c.number,
    unitId: c.unitId,
    claimantId: c.claimantId,
    manufacturerId: c.manufacturerId,
    status: c.status,
    failureCategory: c.failureCategory,
    failureDate: c.failureDate,
    description: c.description,
    lines: c.lines.map((l) => ({ ...l, unitAmount: moneyOrNull(l.unitAmount, c.currency)!, total: moneyOrNull(l.total, c.currency)! })),
    requestedTotal: moneyOrNull(c.requestedTotal, c.currency)!,
    approvedTotal: moneyOrNull(c.approvedTotal, c.currency),
    coverage: c.coverage,
    flags: c.flags,
    repairTicketId: c.repairTicketId,
    history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, at: h.at, actorOrganizationId: h.actorOrganizationId, reasonCode: h.reasonCode, note: h.note })),
    submittedAt: c.submittedAt,
    version: c.version,
  }, 'WarrantyClaim');
}
