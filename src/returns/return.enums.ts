import { declareEnum } from '../common/graphql/enums.js';
import { ITEM_CONDITIONS, RETURN_REASONS, RETURN_RESOLUTIONS } from './return-rules.js';
import { RETURN_STATUSES } from './return.machine.js';

export const ReturnReasonEnum = declareEnum('ReturnReason', RETURN_REASONS);
export const ItemConditionEnum = declareEnum('ItemCondition', ITEM_CONDITIONS);
export const ReturnResolutionEnum = declareEnum('ReturnResolution', RETURN_RESOLUTIONS);
export const ReturnStatusEnum = declareEnum('ReturnStatus', RETURN_STATUSES);
