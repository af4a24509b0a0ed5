import { declareEnum } from '../common/graphql/enums.js';
import { UNIT_STATUSES } from './unit.machine.js';

export const UnitStatusEnum = declareEnum('UnitStatus', UNIT_STATUSES);
