import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/params.js';
import { Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OwnerPageUrls } from '../owner-page-urls.service.js';
import { OwnerPageUrlView } from '../preview.views.js';

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class OwnerPagesController {
  constructor(private readonly ownerPageUrls: OwnerPageUrls) {}

  @Get('units/:id/owner-page-url')
  @Operation({
    id: 'getOwnerPageUrl',
    summary: "A no-login link to the owner's page for the unit, for a receipt or a repair slip",
    ok: OwnerPageUrlView,
    problems: [404],
  })
  async ownerPageUrl(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return { url: await this.ownerPageUrls.unitPageUrl(ctx, id, 'id') };
  }
}
