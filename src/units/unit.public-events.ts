import { partiesFromRow, readingContext, type PublicResource } from '../common/events/public-events.js';
import type { UnitsService } from './units.service.js';

/** The unit's public events; an organization receives the unit as GET /units/{id} shows it to it. */
export const unitPublicEvents = (units: UnitsService): PublicResource => ({
  aggregateType: 'Unit',
  viewSchema: 'Unit',
  events: [
    {
      name: 'unit.registered',
      description: 'A unit was registered (sold, imported or given as a replacement).',
      from: ['UnitRegistered'],
    },
    {
      name: 'unit.ownership_transferred',
      description: 'The unit has a new owner.',
      from: ['UnitOwnershipTransferred'],
    },
    {
      name: 'unit.status_changed',
      description: 'The unit was returned, replaced, traded in or scrapped.',
      from: ['UnitStatusChanged'],
    },
    {
      name: 'unit.service_plan_attached',
      description: 'A service plan was attached to the unit.',
      from: ['UnitServicePlanAttached'],
    },
  ],
  parties: partiesFromRow('units', ['manufacturer_id', 'retailer_id'], 'repair_org_ids'),
  read: (caller, id) => units.getUnit(readingContext(caller), id),
  readMany: (caller, ids) => units.findVisibleUnits(caller, ids),
});
