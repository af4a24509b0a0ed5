import { partiesFromRow, readingContext, type PublicResource } from '../common/events/public-events.js';
import type { ReturnsService } from './returns.service.js';

/** The return's public events; an organization receives the return as GET /returns/{id} shows it. */
export const returnPublicEvents = (returns: ReturnsService): PublicResource => ({
  aggregateType: 'ReturnAuthorization',
  viewSchema: 'ReturnAuthorization',
  events: [
    { name: 'return.requested', description: 'A return was requested.', from: ['ReturnRequested'] },
    {
      name: 'return.authorized',
      description: 'The return was authorized: the customer may send the items back.',
      from: ['ReturnAuthorized'],
    },
    { name: 'return.rejected', description: 'The return was refused.', from: ['ReturnRejected'] },
    { name: 'return.shipped', description: 'The items are on their way back.', from: ['ReturnInTransit'] },
    { name: 'return.received', description: 'The items arrived.', from: ['ReturnReceived'] },
    { name: 'return.inspected', description: 'The items were inspected.', from: ['ReturnInspected'] },
    {
      name: 'return.resolved',
      description: 'Every line was resolved (refund, exchange, store credit or repair).',
      from: ['ReturnResolved'],
    },
    { name: 'return.expired', description: 'The authorized items did not arrive in time.', from: ['ReturnExpired'] },
    { name: 'return.cancelled', description: 'The return was cancelled.', from: ['ReturnCancelled'] },
    { name: 'return.closed', description: 'The return was closed.', from: ['ReturnClosed'] },
  ],
  parties: partiesFromRow('return_authorizations', ['retailer_id']),
  read: (caller, id) => returns.get(readingContext(caller), id),
});
