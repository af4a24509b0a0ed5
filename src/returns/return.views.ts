import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import type { ReturnEntity, ReturnHistoryEntity, ReturnLineEntity, ReturnPolicyEntity } from './return.entity.js';
import type { ReturnStatus } from './return-transitions.js';

export type ReturnPolicyView = Omit<ReturnPolicyEntity, 'createdAt'>;

export function toPolicyView(p: ReturnPolicyEntity): ReturnPolicyView {
  const { createdAt: _createdAt, ...view } = p;
  return typed({ ...view, restockingFeePercent: trimDecimal(p.restockingFeePercent) }, 'ReturnPolicy');
}

export interface ReturnLineView {
  id: string;
  position: number;
  unitId: string;
  reason: string;
  condition: string;
  requestedResolution: string;
  resolution: string | null;
  expectedRefund: MoneyType | null;
  restockingFee: MoneyType | null;
  refundedAmount: MoneyType | null;
  inspectionGrade: string | null;
  inspectedCondition: string | null;
  replacementUnitId: string | null;
  repairTicketId: string | null;
}

export interface ReturnStatusChangeView {
  from: ReturnStatus | null;
  to: ReturnStatus;
  at: Date;
  actorOrganizationId: string | null;
  note: string | null;
}

export interface ReturnView {
  id: string;
  number: string;
  retailerId: string;
  status: ReturnStatus;
  policyId: string | null;
  requestedOn: string;
  lines: ReturnLineView[];
  rejectionReason: string | null;
  rejectionMessage: string | null;
  rejectedLine: number | null;
  warrantyAlternative: (CoverageVerdict & { serialNumber: string; unitId: string }) | null;
  trackingNumber: string | null;
  carrier: string | null;
  shipBy: string | null;
  history: ReturnStatusChangeView[];
  createdAt: Date;
  version: number;
}

export function toReturnView(r: ReturnEntity, lines: ReturnLineEntity[], history: ReturnHistoryEntity[]): ReturnView {
  return typed({
    id: r.id,
    number: r.number,
    retailerId: r.retailerId,
    status: r.status,
    policyId: r.policyId,
    requestedOn: r.requestedOn,
    lines: lines.sort((a, b) => a.position - b.position).map((l) => ({
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
    history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, at: h.at, actorOrganizationId: h.actorOrganizationId, note: h.note })),
    createdAt: r.createdAt,
    version: r.version,
  }, 'ReturnAuthorization');
}

/** "15.0000" as stored reads "15". */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
