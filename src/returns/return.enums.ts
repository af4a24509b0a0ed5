import { registerEnumType } from '@nestjs/graphql';

export enum ReturnReasonEnum {
  DEFECTIVE = 'DEFECTIVE',
  DAMAGED_IN_TRANSIT = 'DAMAGED_IN_TRANSIT',
  NOT_AS_DESCRIBED = 'NOT_AS_DESCRIBED',
  WRONG_ITEM = 'WRONG_ITEM',
  CHANGED_MIND = 'CHANGED_MIND',
  OTHER = 'OTHER',
}
registerEnumType(ReturnReasonEnum, { name: 'ReturnReason' });

export enum ItemConditionEnum {
  UNOPENED = 'UNOPENED',
  OPENED = 'OPENED',
  DAMAGED = 'DAMAGED',
}
registerEnumType(ItemConditionEnum, { name: 'ItemCondition' });

export enum ReturnResolutionEnum {
  REFUND = 'REFUND',
  EXCHANGE = 'EXCHANGE',
  STORE_CREDIT = 'STORE_CREDIT',
  REPAIR = 'REPAIR',
}
registerEnumType(ReturnResolutionEnum, { name: 'ReturnResolution' });

export enum ReturnStatusEnum {
  REQUESTED = 'REQUESTED',
  AUTHORIZED = 'AUTHORIZED',
  REJECTED = 'REJECTED',
  IN_TRANSIT = 'IN_TRANSIT',
  RECEIVED = 'RECEIVED',
  INSPECTED = 'INSPECTED',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ReturnStatusEnum, { name: 'ReturnStatus' });
