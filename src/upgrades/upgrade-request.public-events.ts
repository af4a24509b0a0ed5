import { partiesFromRow, readingContext, type PublicResource } from '../common/events/public-events.js';
import type { UpgradesService } from './upgrades.service.js';

/** The upgrade request's public events; an organization receives the request as GET /upgrades/{id} shows it. */
export const upgradePublicEvents = (upgrades: UpgradesService): PublicResource => ({
  aggregateType: 'UpgradeRequest',
  viewSchema: 'UpgradeRequest',
  events: [
    { name: 'upgrade.requested', description: 'An upgrade was requested under a program.', from: ['UpgradeRequested'] },
    {
      name: 'upgrade.trade_in_received',
      description: 'The traded-in unit was received.',
      from: ['UpgradeTradeInReceived'],
    },
    {
      name: 'upgrade.completed',
      description: 'The upgrade was completed: the new unit is registered.',
      from: ['UpgradeCompleted'],
    },
    { name: 'upgrade.cancelled', description: 'The upgrade request was cancelled.', from: ['UpgradeCancelled'] },
  ],
  parties: partiesFromRow('upgrade_requests', ['requested_by_id', 'program_owner_id']),
  read: (caller, id) => upgrades.get(readingContext(caller), id),
});
