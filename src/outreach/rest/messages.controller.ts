import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, IntersectionType } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page-query.js';
import { uuidParam } from '../../common/http/params.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OutreachMessageFilter } from '../outreach-message.inputs.js';
import { OutreachMessageView } from '../outreach-message.views.js';
import { OutreachMessagesService } from '../outreach-messages.service.js';

/** The page and the filter of GET /outreach-messages. */
class MessageListQuery extends IntersectionType(PageQuery, OutreachMessageFilter) {}

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class OutreachMessagesController {
  constructor(private readonly messages: OutreachMessagesService) {}

  @Get('outreach-messages')
  @Operation({
    id: 'listOutreachMessages',
    summary: "The caller organization's outreach messages, sent, suppressed (with the reason) or waiting",
    ok: connectionOf(OutreachMessageView, 'OutreachMessage'),
    problems: [403, 404],
  })
  list(@Ctx() ctx: RequestContext, @Query() query: MessageListQuery) {
    const { first, after, ...filter } = query;
    return this.messages.list(ctx, filter, first, after);
  }

  @Get('outreach-messages/:id')
  @Operation({
    id: 'getOutreachMessage',
    summary: 'One outreach message',
    ok: OutreachMessageView,
    problems: [403, 404],
  })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.messages.get(ctx, id);
  }
}
