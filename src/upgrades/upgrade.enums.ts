import { registerEnumType } from '@nestjs/graphql';
import { declareEnum } from '../common/graphql/enums.js';
import { UPGRADE_STATUSES } from './upgrade-request.machine.js';

export enum IneligibleReasonEnum {
  UNIT_NOT_ACTIVE = 'UNIT_NOT_ACTIVE',
  CATEGORY_NOT_ELIGIBLE = 'CATEGORY_NOT_ELIGIBLE',
  OWNED_TOO_SHORT = 'OWNED_TOO_SHORT',
  UNIT_TOO_OLD = 'UNIT_TOO_OLD',
  NO_ACTIVE_COVERAGE = 'NO_ACTIVE_COVERAGE',
  OPEN_REPAIR_OR_RETURN = 'OPEN_REPAIR_OR_RETURN',
  PROGRAM_NOT_ACTIVE = 'PROGRAM_NOT_ACTIVE',
}
registerEnumType(IneligibleReasonEnum, { name: 'IneligibleReason' });

export const UpgradeStatusEnum = declareEnum('UpgradeStatus', UPGRADE_STATUSES);
