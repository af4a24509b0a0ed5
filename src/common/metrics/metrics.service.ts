import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ReadReplicas, registerReplicaGauges } from '../../database/replicas.js';
import { registerDatabaseMetrics } from './database-metrics.js';

/** Seconds: from a fast indexed read to the statement timeout's order of magnitude. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The application's Prometheus registry (one per application, not prom-client's global one, so
 * several applications in one process, as in the tests, keep their numbers apart). Every label
 * value comes from a bounded set: route patterns, schema field names, status classes.
 */
@Injectable()
export class MetricsService {
  readonly enabled: boolean;
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'aftercare_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status class (1xx to 5xx); the _count is the request rate.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: DURATION_BUCKETS,
    registers: [],
  });
  readonly graphqlDuration = new Histogram({
    name: 'aftercare_graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP by operation type and root field ("multiple" for several, "none" when the document was refused before it ran), and whether the answer carried errors.',
    labelNames: ['operation_type', 'root_field', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [],
  });

  constructor(db: DataSource, @Inject(APP_CONFIG) config: AppConfig, replicas: ReadReplicas) {
    this.enabled = config.metrics.enabled;
    if (!this.enabled) return;
    this.registry.registerMetric(this.httpDuration);
    this.registry.registerMetric(this.graphqlDuration);
    collectDefaultMetrics({ register: this.registry });
    registerDatabaseMetrics(this.registry, db);
    registerReplicaGauges(this.registry, replicas);
  }
}
