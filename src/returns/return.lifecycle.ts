import { historyTable, type Lifecycle } from '../common/lifecycle/lifecycle.js';
import { ReturnEntity, ReturnHistoryEntity } from './return.entity.js';
import { RETURN_MACHINE, type ReturnStatus } from './return.machine.js';

/** A return's history row besides the move; the expiry job names the platform as the actor. */
export interface ReturnHistoryDetails {
  note: string | null;
  actorOrganizationId?: string | null;
}

/** Returns in the lifecycle: their history table and outbox payloads. */
export const RETURN_LIFECYCLE: Lifecycle<ReturnStatus, ReturnEntity, ReturnHistoryDetails> = {
  machine: RETURN_MACHINE,
  table: 'return_authorizations',
  entity: ReturnEntity,
  writeHistory: historyTable(
    ReturnHistoryEntity,
    (rma: ReturnEntity, caller, details: ReturnHistoryDetails | undefined) => ({
      returnId: rma.id,
      actorOrganizationId: details?.actorOrganizationId ?? caller?.organizationId ?? null,
      note: details?.note ?? null,
    }),
  ),
  payload: (rma, from, to) => ({ returnId: rma.id, number: rma.number, retailerId: rma.retailerId, from, to }),
};
