import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { OwnerPageUrls } from '../owner-page-urls.service.js';

@Resolver()
export class OwnerPageResolver {
  constructor(private readonly ownerPageUrls: OwnerPageUrls) {}

  @Query(() => String, {
    description:
      "A no-login link to the owner's page for this unit, for a receipt or a repair slip (OUTREACH.md: owner pages).",
  })
  ownerPageUrl(@Ctx() ctx: RequestContext, @Args('unitId', { type: () => ID }, uuidArg('unitId')) unitId: string) {
    return this.ownerPageUrls.unitPageUrl(ctx, unitId);
  }
}
