import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { AuthService } from '../../common/auth/auth.service.js';
import type { Caller } from '../../common/auth/caller.js';
import { notFound } from '../../common/errors/domain-error.js';
import { EventFeed } from '../../common/events/event-feed.service.js';
import { resetLoaders } from '../../common/graphql/loaders.js';
import { PushIterator } from '../../common/graphql/subscriptions.js';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import type { RepairTicketView } from '../repair.views.js';
import { RepairsService } from '../repairs.service.js';
import { RepairTicketType } from './repair.types.js';

/**
 * Live ticket status for retailers and everyone else who may see the ticket. Fed from the outbox
 * through the event feed, so a change made on any replica reaches subscribers on every replica.
 * Each message is the ticket as it stands when the change reaches this replica (changes landing
 * within one feed interval may arrive as one message); visibility is checked at subscription and
 * for every message.
 */
@Resolver(() => RepairTicketType)
export class RepairSubscriptionResolver {
  constructor(
    private readonly repairs: RepairsService,
    private readonly feed: EventFeed,
    private readonly auth: AuthService,
  ) {}

  @Subscription(() => RepairTicketType, {
    description: 'Status and content changes of one repair ticket the caller may see.',
    resolve: (ticket: RepairTicketView) => ticket,
  })
  async repairTicketUpdated(
    @Ctx() ctx: RequestContext,
    @Context('req') req: FastifyRequest,
    @Args('ticketId', { type: () => ID }, uuidArg('ticketId')) ticketId: string,
  ): Promise<AsyncIterableIterator<RepairTicketView>> {
    const ticket = await this.repairs.findVisible(ctx.caller, ticketId);
    if (!ticket) throw notFound('Repair ticket', undefined, 'ticketId');
    const signals = new PushIterator<void>(() => unsubscribe());
    const unsubscribe = await this.feed.subscribe(ticketId, () => signals.push());
    // the key is checked again for every message (AuthService caches it for AUTH_CACHE_SECONDS)
    const stillValid = async () =>
      (await this.auth.authenticate(req.headers.authorization as string | undefined).catch(() => null)) !== null;
    return new TicketUpdates(signals, this.repairs, ctx.caller, ticketId, req, ticket.version, stillValid);
  }
}

/** One message per new version of the ticket; ends when the caller may no longer see it. */
class TicketUpdates implements AsyncIterableIterator<RepairTicketView> {
  constructor(
    private readonly signals: PushIterator<void>,
    private readonly repairs: RepairsService,
    private readonly caller: Caller,
    private readonly ticketId: string,
    private readonly req: FastifyRequest,
    private lastVersion: number,
    private readonly keyStillValid: () => Promise<boolean>,
  ) {}

  async next(): Promise<IteratorResult<RepairTicketView>> {
    try {
      for (;;) {
        const signal = await this.signals.next();
        if (signal.done) return { value: undefined, done: true };
        // a revoked or expired key, or a ticket no longer visible, ends the subscription
        if (!(await this.keyStillValid())) return this.return();
        resetLoaders(this.req);
        const ticket = await this.repairs.findVisible(this.caller, this.ticketId);
        if (!ticket) return this.return();
        if (ticket.version <= this.lastVersion) continue;
        this.lastVersion = ticket.version;
        return { value: ticket, done: false };
      }
    } catch (error) {
      // graphql-js does not call return() when next() fails: free the listener here
      await this.return();
      throw error;
    }
  }

  return(): Promise<IteratorResult<RepairTicketView>> {
    return this.signals.return() as Promise<IteratorResult<RepairTicketView>>;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<RepairTicketView> {
    return this;
  }
}
