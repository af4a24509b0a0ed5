import { declareEnum } from '../common/graphql/enums.js';
import { CLAIM_DECISIONS } from './claim-rules.js';
import { CLAIM_LINE_KINDS } from './claim.entity.js';
import { CLAIM_STATUSES } from './warranty-claim.machine.js';

export const ClaimStatusEnum = declareEnum('ClaimStatus', CLAIM_STATUSES);

export const ClaimLineKindEnum = declareEnum('ClaimLineKind', CLAIM_LINE_KINDS);

export const ClaimDecisionEnum = declareEnum('ClaimDecision', CLAIM_DECISIONS);
