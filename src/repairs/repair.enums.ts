import { declareEnum } from '../common/graphql/enums.js';
import { REPAIR_STATUSES } from './repair-ticket.machine.js';

export const RepairStatusEnum = declareEnum('RepairStatus', REPAIR_STATUSES);
