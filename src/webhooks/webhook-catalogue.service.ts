import { Injectable } from '@nestjs/common';
import { PublicEvents } from '../common/events/public-events.js';
import { jsonSchemaOf, type OpenApiSchemas } from './json-schema.js';
import type { WebhookEventTypeView } from './webhook.views.js';

/**
 * The catalogue of event types (docs/webhooks.md, "The catalogue"): the public events the domain
 * modules declare, each with the JSON Schema of its `data`, which is the REST view of its resource
 * taken from the OpenAPI document the server publishes, so the two cannot differ.
 */
@Injectable()
export class WebhookCatalogue {
  private schemas: OpenApiSchemas = {};

  constructor(private readonly events: PublicEvents) {}

  /** Given the OpenAPI document's schemas once the document is built (app.setup.ts). */
  useSchemas(schemas: OpenApiSchemas): void {
    this.schemas = schemas;
  }

  eventTypes(): WebhookEventTypeView[] {
    return this.events.catalogue().map((type) => ({
      name: type.name,
      description: type.description,
      dataSchema: jsonSchemaOf(type.viewSchema, this.schemas),
    }));
  }
}
