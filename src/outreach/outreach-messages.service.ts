import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { notFound } from '../common/errors/domain-error.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { assertOutreachSender, ownJourney } from './outreach-access.js';
import type { OutreachMessageFilter } from './outreach-message.inputs.js';
import * as messages from './outreach-message.queries.js';
import type { OutreachMessageEntity } from './outreach.entities.js';
import { toOutreachMessageView, type OutreachMessageView } from './outreach-message.views.js';

/**
 * The message log of a sender's journeys (docs/outreach.md): every occasion recorded, sent,
 * suppressed (with its reason) or failed. Only the sender reads its messages; the address is
 * masked. Retailers' and manufacturers' ADMIN, STAFF and READONLY keys read it.
 */
@Injectable()
export class OutreachMessagesService {
  constructor(private readonly db: DataSource) {}

  async list(
    ctx: RequestContext,
    filter: OutreachMessageFilter = {},
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<OutreachMessageView>> {
    assertOutreachSender(ctx.caller);
    const page = pageRequest(first, after);
    if (filter.journeyId) await ownJourney(this.db.manager, ctx.caller, filter.journeyId, 'filter.journeyId');
    const { rows, count } = await messages.listForSender(this.db.manager, ctx.caller.organizationId, filter, page);
    return toConnection(await this.views(ctx.caller, rows), page, count);
  }

  async get(ctx: RequestContext, id: string, field = 'id'): Promise<OutreachMessageView> {
    const message = await this.ownMessage(ctx.caller, id, field);
    const [view] = await this.views(ctx.caller, [message]);
    return view;
  }

  /** Views of a page of the caller's messages: their coupon codes and their addresses' unsubscribes, one query each. */
  private async views(caller: Caller, rows: OutreachMessageEntity[]): Promise<OutreachMessageView[]> {
    const codes = await messages.couponCodesOf(
      this.db.manager,
      rows.map((m) => m.id),
    );
    const keys = [...new Set(rows.map((m) => m.recipientKey).filter((k): k is string => k !== null))];
    const unsubscribed = await messages.unsubscribedSince(this.db.manager, caller.organizationId, keys);
    return rows.map((m) =>
      toOutreachMessageView(m, codes.get(m.id) ?? null, (m.recipientKey && unsubscribed.get(m.recipientKey)) || null),
    );
  }

  private async ownMessage(caller: Caller, id: string, field: string) {
    assertOutreachSender(caller);
    const message = await messages.findById(this.db.manager, id);
    if (!message || message.senderId !== caller.organizationId) throw notFound('Outreach message', undefined, field);
    return message;
  }
}
