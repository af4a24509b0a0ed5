import { registerEnumType } from '@nestjs/graphql';

export enum ClaimStatusEnum {
  SUBMITTED = 'SUBMITTED',
  IN_REVIEW = 'IN_REVIEW',
  NEEDS_INFO = 'NEEDS_INFO',
  APPROVED = 'APPROVED',
  PARTIALLY_APPROVED = 'PARTIALLY_APPROVED',
  REJECTED = 'REJECTED',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ClaimStatusEnum, { name: 'ClaimStatus' });

export enum ClaimLineKindEnum {
  PART = 'PART',
  LABOR = 'LABOR',
  SHIPPING = 'SHIPPING',
  OTHER = 'OTHER',
}
registerEnumType(ClaimLineKindEnum, { name: 'ClaimLineKind' });

export enum ClaimDecisionEnum {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  REQUEST_INFO = 'REQUEST_INFO',
  MARK_PAID = 'MARK_PAID',
}
registerEnumType(ClaimDecisionEnum, { name: 'ClaimDecision' });
