import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { createValidationPipe } from '../../common/http/validation.js';
import { CoverageBatchInput, CoverageQueryInput } from '../coverage.inputs.js';
import { CoverageService } from '../coverage.service.js';
import { CoverageCheckType } from './coverage.types.js';

const batchValidation = createValidationPipe();

@Resolver(() => CoverageCheckType)
export class CoverageResolver {
  constructor(private readonly coverage: CoverageService) {}

  @Query(() => CoverageCheckType)
  warrantyCoverage(@Ctx() ctx: RequestContext, @Args('query') query: CoverageQueryInput) {
    return this.coverage.check(ctx, query);
  }

  @Query(() => [CoverageCheckType], { description: 'Up to 500 checks in one call, answered in order.' })
  async warrantyCoverages(
    @Ctx() ctx: RequestContext,
    @Args('queries', { type: () => [CoverageQueryInput] }) queries: CoverageQueryInput[],
  ) {
    // Nest's validation pipe skips list arguments: validate them as the REST batch body is, same rules and field paths
    const batch = await batchValidation.transform({ queries }, { type: 'body', metatype: CoverageBatchInput });
    return this.coverage.checkMany(ctx, (batch as CoverageBatchInput).queries);
  }
}
