import type { Lifecycle } from '../common/lifecycle/lifecycle.js';
import { Machine } from '../common/lifecycle/machine.js';
import type { HistoryReference } from './unit-history.js';
import { UnitEntity, type UnitStatus } from './unit.entity.js';
import { recordUnitHistory } from './units.service.js';

export const UNIT_STATUSES: readonly UnitStatus[] = ['ACTIVE', 'RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'];

/**
 * A unit's status (DOMAIN.md): ACTIVE from registration until a return, an exchange or a trade-in
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

/** What a status change writes in the unit's history: a summary naming no other record, and the links (unit-history.ts). */
export interface UnitChangeHistory {
  summary: string;
  references: HistoryReference[];
}

/** Unit status changes in the lifecycle: the unit's own history (the status is the entry's type) and the outbox payload. */
export const UNIT_LIFECYCLE: Lifecycle<UnitStatus, UnitEntity, UnitChangeHistory> = {
  machine: UNIT_MACHINE,
  table: 'units',
  entity: UnitEntity,
  async writeHistory(em, caller, unit, steps) {
    await recordUnitHistory(em, caller, steps.map(({ to, details }) => ({ unitId: unit.id, type: to, summary: details!.summary, references: details!.references })));
  },
  payload: (unit, from, to, patch) => ({ unitId: unit.id, from, status: to, ...patch }),
};
