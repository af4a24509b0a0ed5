import { registerEnumType } from '@nestjs/graphql';

export enum RepairStatusEnum {
  RECEIVED = 'RECEIVED',
  DIAGNOSING = 'DIAGNOSING',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  AWAITING_PARTS = 'AWAITING_PARTS',
  IN_REPAIR = 'IN_REPAIR',
  QUALITY_CHECK = 'QUALITY_CHECK',
  READY = 'READY',
  CLOSED = 'CLOSED',
  UNREPAIRABLE = 'UNREPAIRABLE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RepairStatusEnum, { name: 'RepairStatus' });
