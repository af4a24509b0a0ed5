import type { FastifyRequest } from 'fastify';
import type { Caller } from '../common/auth/caller.js';
import { loadersOf } from '../common/graphql/loaders.js';
import type { UnitServicePlanView, UnitView } from './unit.views.js';
import type { UnitsService } from './units.service.js';

/** A unit by id as the caller may see it: null when it is outside the caller's view. */
export function loadVisibleUnit(
  req: FastifyRequest,
  caller: Caller,
  service: UnitsService,
  id: string,
): Promise<UnitView | null> {
  return loadersOf(req)
    .get<string, UnitView | null>('visibleUnit', (ids) => service.findVisibleUnits(caller, ids))
    .load(id);
}

/**
 * The unit of a record the caller may see (a ticket, a claim, a return line, an upgrade request),
 * for their non-null `unit` fields: the unit as the caller may see it, or the reduced unit of
 * toTicketUnitView for a party to the record that may not see the unit (docs/rules.md: a ticket's
 * opener that neither sold nor made the unit).
 */
export function loadRecordUnit(
  req: FastifyRequest,
  caller: Caller,
  service: UnitsService,
  id: string,
): Promise<UnitView | null> {
  return loadersOf(req)
    .get<string, UnitView | null>('recordUnit', (ids) => service.findRecordUnits(caller, ids))
    .load(id);
}

export function loadUnitServicePlans(
  req: FastifyRequest,
  service: UnitsService,
  unitId: string,
): Promise<UnitServicePlanView[]> {
  return loadersOf(req)
    .get<string, UnitServicePlanView[]>('unitServicePlans', (ids) => service.servicePlansOf(ids))
    .load(unitId);
}
