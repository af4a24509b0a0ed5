import { declareEnum } from '../common/graphql/enums.js';
import { INELIGIBLE_REASONS } from './upgrade-eligibility.js';
import { UPGRADE_STATUSES } from './upgrade-request.machine.js';

export const IneligibleReasonEnum = declareEnum('IneligibleReason', INELIGIBLE_REASONS);

export const UpgradeStatusEnum = declareEnum('UpgradeStatus', UPGRADE_STATUSES);
