import { Module } from '@nestjs/common';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin.js';
import { MetricsService } from './metrics.service.js';

/** Prometheus metrics: the registry, and the Apollo plugin that times GraphQL operations. */
@Module({
  providers: [MetricsService, GraphqlMetricsPlugin],
  exports: [MetricsService],
})
export class MetricsModule {}
