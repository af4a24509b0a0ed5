import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../common/auth/caller.js';
import { loadersOf } from '../../common/graphql/loaders.js';
import type { OutreachJourneyView } from '../journey.views.js';
import type { JourneysService } from '../journeys.service.js';

/** The caller's journey by id, batched per request (the journey of each message, coupon or survey answer of a page). */
export function loadOwnJourney(
  req: FastifyRequest,
  caller: Caller,
  service: JourneysService,
  id: string,
): Promise<OutreachJourneyView | null> {
  return loadersOf(req)
    .get<string, OutreachJourneyView | null>('ownOutreachJourney', (ids) => service.findOwn(caller, ids))
    .load(id);
}
