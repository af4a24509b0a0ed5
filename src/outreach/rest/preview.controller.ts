import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/params.js';
import { Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { assertOutreachSender } from '../outreach-access.js';
import { PreviewQuery } from '../preview.inputs.js';
import { RenderedMessageView } from '../preview.views.js';
import { OutreachPreview } from '../sending/outreach-preview.service.js';

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class OutreachPreviewController {
  constructor(private readonly preview: OutreachPreview) {}

  @Get('outreach-journeys/:id/preview')
  @Operation({
    id: 'previewOutreach',
    summary: "The message the journey would send to the unit's owner today, rendered, without sending it",
    ok: RenderedMessageView,
    problems: [403, 404],
  })
  previewOutreach(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Query() query: PreviewQuery) {
    assertOutreachSender(ctx.caller);
    return this.preview.render(ctx.caller, id, query.unitId, query.locale);
  }
}
