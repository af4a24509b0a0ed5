import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { JobRunner } from '../common/jobs/job-runner.service.js';
import { partiesFromRow, PublicEvents } from '../common/events/public-events.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './graphql/webhook.resolver.js';
import { WebhooksController } from './rest/webhooks.controller.js';
import { WebhookCatalogue } from './webhook-catalogue.service.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { deleteOlderThan } from './webhook-delivery.queries.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookFanout } from './webhook-fanout.service.js';
import { WebhookNetwork } from './webhook-network.js';

/**
 * Outbound webhooks (docs/webhooks.md). It imports no domain module: the domain modules declare
 * their public events (PublicEvents), and this module runs those declarations.
 */
@Module({
  providers: [
    WebhookNetwork,
    WebhookCatalogue,
    WebhookEndpointsService,
    WebhookDeliveriesService,
    WebhookDispatcher,
    WebhookFanout,
    WebhookEndpointResolver,
    WebhookDeliveryResolver,
  ],
  controllers: [WebhooksController],
  exports: [
    WebhookCatalogue,
    WebhookNetwork,
    WebhookDispatcher,
    WebhookFanout,
    WebhookEndpointsService,
    WebhookDeliveriesService,
  ],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly events: PublicEvents,
    private readonly endpoints: WebhookEndpointsService,
    private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.declare({
      name: 'webhook.test',
      description: 'A test message, sent by sendTestWebhook; data is the endpoint it was sent to.',
      viewSchema: 'WebhookEndpoint',
    });
    this.events.register({
      aggregateType: 'WebhookEndpoint',
      viewSchema: 'WebhookEndpoint',
      events: [
        {
          name: 'webhook_endpoint.disabled',
          description:
            'The platform disabled one of your endpoints (it answered 410 Gone, or failed for too long); sent to your other endpoints.',
          from: ['WebhookEndpointDisabled'],
        },
      ],
      parties: partiesFromRow('webhook_endpoints', ['organization_id']),
      read: (caller, id) => this.endpoints.get({ caller, correlationId: 'webhook-fanout' }, id),
    });
    this.runner.every({
      name: 'webhook-retention',
      everyMs: 3600_000,
      run: (em) => deleteOlderThan(em, this.config.webhooks.retentionDays),
    });
  }
}
