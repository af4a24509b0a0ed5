import type { FastifyRequest } from 'fastify';
import type { Caller } from '../common/auth/caller.js';
import { loadersOf } from '../common/graphql/loaders.js';
import type { UnitServicePlanView, UnitView } from './unit.views.js';
import type { UnitsService } from './units.service.js';

/** A unit by id as the caller may see it: null when it is outside the caller's view. */
export function loadVisibleUnit(req: FastifyRequest, caller: Caller, service: UnitsService, id: string): Promise<UnitView | null> {
  return loadersOf(req).get<string, UnitView | null>('visibleUnit', (ids) => service.findVisibleUnits(caller, ids)).load(id);
}

/**
 * The unit of a ticket the caller may see: the unit as the caller may see it, or the reduced unit
 * an opener that may not see the unit reads on its ticket (DOMAIN.md).
 */
export function loadTicketUnit(req: FastifyRequest, caller: Caller, service: UnitsService, id: string): Promise<UnitView | null> {
  return loadersOf(req).get<string, UnitView | null>('ticketUnit', (ids) => service.findTicketUnits(caller, ids)).load(id);
}

export function loadUnitServicePlans(req: FastifyRequest, service: UnitsService, unitId: string): Promise<UnitServicePlanView[]> {
  return loadersOf(req).get<string, UnitServicePlanView[]>('unitServicePlans', (ids) => service.servicePlansOf(ids)).load(unitId);
}
