/**
 * The upgrade request's states and moves now live in upgrade-request.machine.ts; these names stay
 * for the inputs and entity that import them from here.
 */
export {
  canMoveUpgrade,
  OPEN_UPGRADE_STATUSES,
  UPGRADE_STATUSES,
  UPGRADE_TRANSITIONS,
  type UpgradeStatus,
} from './upgrade-request.machine.js';
