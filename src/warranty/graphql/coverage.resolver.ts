import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CoverageQueryInput } from '../coverage.inputs.js';
import { CoverageService } from '../coverage.service.js';
import { CoverageCheckType } from './coverage.types.js';

@Resolver(() => CoverageCheckType)
export class CoverageResolver {
  constructor(private readonly coverage: CoverageService) {}

  @Query(() => CoverageCheckType)
  warrantyCoverage(@Ctx() ctx: RequestContext, @Args('query') query: CoverageQueryInput) {
    return this.coverage.check(ctx, query);
  }

  @Query(() => [CoverageCheckType], { description: 'Up to 500 checks in one call, answered in order.' })
  warrantyCoverages(@Ctx() ctx: RequestContext, @Args('queries', { type: () => [CoverageQueryInput] }) queries: CoverageQueryInput[]) {
    return this.coverage.checkMany(ctx, queries);
  }
}
