import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { assertOutreachSender } from '../outreach-access.js';
import { OutreachPreview } from '../sending/outreach-preview.service.js';
import { RenderedMessageType } from './preview.types.js';

@Resolver()
export class OutreachPreviewResolver {
  constructor(private readonly preview: OutreachPreview) {}

  @Query(() => RenderedMessageType, {
    description: "The message the journey would send to the unit's owner today, rendered, without sending it.",
  })
  previewOutreach(
    @Ctx() ctx: RequestContext,
    @Args('journeyId', { type: () => ID }, uuidArg('journeyId')) journeyId: string,
    @Args('unitId', { type: () => ID }, uuidArg('unitId')) unitId: string,
    @Args('locale', { type: () => String, nullable: true }) locale?: string,
  ) {
    assertOutreachSender(ctx.caller);
    return this.preview.render(ctx.caller, journeyId, unitId, locale);
  }
}
