import { Machine } from '../common/lifecycle/machine.js';
import type { UnitEntity } from './unit.entity.js';

/** A unit's statuses: the one list the machine, the filters and the published enum (unit.enums.ts) use. */
export const UNIT_STATUSES = ['ACTIVE', 'RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/**
 * A unit's status (docs/rules.md): ACTIVE from registration until a return, an exchange or a trade-in
 * ends it. The other modules move it, each after its own checks, so no `may` here. No operation
 * scraps a unit yet; SCRAPPED is in the schema, and the move to it is declared with the others.
 */
export const UNIT_MACHINE = Machine.declare<UnitStatus, UnitEntity>({
  name: 'Unit',
  states: UNIT_STATUSES,
  initial: 'ACTIVE',
  initialEvent: 'UnitRegistered',
  finals: ['RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'],
  transitions: [
    { from: ['ACTIVE'], to: 'RETURNED', event: 'UnitStatusChanged' },
    { from: ['ACTIVE'], to: 'REPLACED', event: 'UnitStatusChanged' },
    { from: ['ACTIVE'], to: 'TRADED_IN', event: 'UnitStatusChanged' },
    { from: ['ACTIVE'], to: 'SCRAPPED', event: 'UnitStatusChanged' },
  ],
});
