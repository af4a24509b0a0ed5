import type { Lifecycle } from '../common/lifecycle/lifecycle.js';
import type { HistoryReference } from './unit-history.js';
import { UnitEntity, type UnitStatus } from './unit.entity.js';
import { UNIT_MACHINE } from './unit.machine.js';
import { recordUnitHistory } from './units.service.js';

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
    await recordUnitHistory(
      em,
      caller,
      steps.map(({ to, details }) => ({
        unitId: unit.id,
        type: to,
        summary: details!.summary,
        references: details!.references,
      })),
    );
  },
  payload: (unit, from, to, patch) => ({ unitId: unit.id, from, status: to, ...patch }),
};
