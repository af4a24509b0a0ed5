/**
 * The return states and moves now live in return.machine.ts; these names stay for the
 * transports, inputs and views that import them from here.
 */
export {
  canMoveReturn,
  MOVES_BY_OWN_OPERATION,
  OPEN_RETURN_STATUSES,
  RETURN_STATUSES,
  RETURN_TRANSITIONS,
  type ReturnStatus,
} from './return.machine.js';
