import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiNested,
  ApiObject,
  ApiText,
} from '../common/openapi/properties.js';
import { WebhookDeliveryStatusEnum } from './webhook.enums.js';
import type { WebhookAttempt, WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

/** The API's shape of webhook endpoints and deliveries (GraphQL and REST alike); never a secret but once. */
@ApiSchema({ name: 'WebhookEndpoint' })
export class WebhookEndpointView {
  @ApiId() id: string;
  @ApiText('https://hooks.example.com/aftercare') url: string;
  @ApiText('Order system', { nullable: true }) description: string | null;
  @ApiProperty({
    type: String,
    isArray: true,
    example: ['repair_ticket.status_changed'],
    description: 'The event types it receives; empty means every type.',
  })
  eventTypes: string[];
  @ApiBool(true) enabled: boolean;
  @ApiText('The endpoint answered 410 Gone.', {
    nullable: true,
    description: 'Why the platform disabled it, when it did.',
  })
  disabledReason: string | null;
  @ApiText('whsec_9Zq1', { description: 'The first characters of the current signing secret.' })
  secretPrefix: string;
  @ApiDateTime() createdAt: Date;
  @ApiInt(1) version: number;
}

@ApiSchema({
  name: 'WebhookEndpointWithSecret',
  description: 'An endpoint and its signing secret, shown this once.',
})
export class WebhookEndpointWithSecretView {
  @ApiNested(() => WebhookEndpointView) endpoint: WebhookEndpointView;
  @ApiText('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
    description: 'The signing secret (Standard Webhooks); it cannot be read again.',
  })
  secret: string;
}

@ApiSchema({ name: 'WebhookAttempt' })
export class WebhookAttemptView {
  @ApiDateTime() at: Date;
  @ApiInt(500, { nullable: true, description: 'The HTTP status answered; null when no answer came.' })
  responseStatus: number | null;
  @ApiInt(120) durationMs: number;
  @ApiText('answered 500', { nullable: true, description: 'Why the attempt failed, in words.' })
  error: string | null;
}

@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDeliveryView {
  @ApiId() id: string;
  @ApiId() endpointId: string;
  @ApiText('msg_0193a4b2c1d07e8f9a0b1c2d3e4f5a6b', { description: 'The webhook-id header, the same on every attempt.' })
  messageId: string;
  @ApiText('unit.registered') eventType: string;
  @ApiObject('The signed body as sent: { type, timestamp, data }.') payload: Record<string, unknown>;
  @ApiEnum(WebhookDeliveryStatusEnum, 'WebhookDeliveryStatus') status: WebhookDeliveryStatus;
  @ApiNested(() => WebhookAttemptView, { isArray: true }) attempts: WebhookAttemptView[];
  @ApiDateTime({ nullable: true }) nextAttemptAt: Date | null;
  @ApiDateTime() createdAt: Date;
}

@ApiSchema({ name: 'WebhookEventType' })
export class WebhookEventTypeView {
  @ApiText('repair_ticket.status_changed') name: string;
  @ApiText('A repair ticket moved to another status.') description: string;
  @ApiObject("The JSON Schema of the payload's data member.") dataSchema: Record<string, unknown>;
}

@ApiSchema({ name: 'DeletedWebhookEndpoint', description: 'The endpoint is gone, with its deliveries.' })
export class DeletedWebhookEndpointView {
  @ApiId() id: string;
  @ApiBool(true) deleted: boolean;
}

@ApiSchema({ name: 'RecoveredDeliveries' })
export class RecoveredDeliveriesView {
  @ApiInt(3) count: number;
}

export const toWebhookEndpointView = (e: WebhookEndpointEntity): WebhookEndpointView =>
  typed(
    {
      id: e.id,
      url: e.url,
      description: e.description,
      eventTypes: e.eventTypes,
      enabled: e.enabled,
      disabledReason: e.disabledReason,
      secretPrefix: e.secretPrefix,
      createdAt: e.createdAt,
      version: e.version,
    },
    'WebhookEndpoint',
  );

export const toWebhookDeliveryView = (d: WebhookDeliveryEntity): WebhookDeliveryView =>
  typed(
    {
      id: d.id,
      endpointId: d.endpointId,
      messageId: d.messageId,
      eventType: d.eventType,
      payload: JSON.parse(d.body) as Record<string, unknown>,
      status: d.status,
      attempts: d.attempts.map((a: WebhookAttempt) => ({ ...a, at: new Date(a.at) })),
      nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
      createdAt: d.createdAt,
    },
    'WebhookDelivery',
  );
