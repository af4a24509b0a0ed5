import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { GenericError, resultType, VersionConflictError } from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { JsonScalarType } from '../../common/graphql/scalars.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import type { WebhookDeliveryStatus } from '../webhook-delivery.entity.js';
import { WebhookDeliveryStatusEnum } from '../webhook.enums.js';

@ObjectType('WebhookEventType', {
  description: 'One kind of event an endpoint can subscribe to, e.g. repair_ticket.status_changed.',
})
export class WebhookEventTypeType {
  @Field() name: string;
  @Field() description: string;
  @Field(() => JsonScalarType, { description: "The JSON Schema of the payload's data member." }) dataSchema: unknown;
}

@ObjectType('WebhookEndpoint', { implements: () => [NodeInterface] })
export class WebhookEndpointType {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => [String], { description: 'The event types it receives; empty means every type.' }) eventTypes: string[];
  @Field() enabled: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Why it was disabled when the platform disabled it (e.g. answered 410, or failed for too long).',
  })
  disabledReason: string | null;
  @Field({ description: 'The first characters of the current signing secret, to tell secrets apart.' })
  secretPrefix: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Int) version: number;
}

@ObjectType('WebhookEndpointWithSecret', {
  description: 'The signing secret (whsec_…) is shown here once and never again.',
})
export class WebhookEndpointWithSecretType {
  @Field(() => WebhookEndpointType) endpoint: WebhookEndpointType;
  @Field() secret: string;
}

@ObjectType('WebhookAttempt')
export class WebhookAttemptType {
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status the endpoint answered; null when no answer came (timeout, refused, DNS).',
  })
  responseStatus: number | null;
  @Field(() => Int) durationMs: number;
  @Field(() => String, { nullable: true, description: 'Why the attempt failed, when it did, in words.' }) error:
    string | null;
}

@ObjectType('WebhookDelivery', { implements: () => [NodeInterface] })
export class WebhookDeliveryType {
  @Field(() => ID) id: string;
  @Field(() => WebhookEndpointType) endpoint: WebhookEndpointType;
  @Field({
    description:
      "The webhook-id header: the same for every attempt of this message, for the receiver's de-duplication.",
  })
  messageId: string;
  @Field() eventType: string;
  @Field(() => JsonScalarType, { description: 'The signed body as sent: { type, timestamp, data }.' }) payload: unknown;
  @Field(() => WebhookDeliveryStatusEnum, {
    description:
      'PENDING: waiting for its next attempt; SUCCEEDED: answered 2xx; FAILED: retries exhausted or the endpoint disabled.',
  })
  status: WebhookDeliveryStatus;
  @Field(() => [WebhookAttemptType]) attempts: WebhookAttemptType[];
  @Field(() => GraphQLISODateTime, { nullable: true }) nextAttemptAt: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('RecoveredDeliveries')
export class RecoveredDeliveriesType {
  @Field(() => Int) count: number;
}

export const WebhookEndpointConnection = connectionTypes(WebhookEndpointType, 'WebhookEndpoint');
export const WebhookDeliveryConnection = connectionTypes(WebhookDeliveryType, 'WebhookDelivery');

export const CreateWebhookEndpointResult = createUnionType({
  name: 'CreateWebhookEndpointResult',
  types: () => [WebhookEndpointWithSecretType, GenericError] as const,
  resolveType: resultType(WebhookEndpointWithSecretType),
});

export const UpdateWebhookEndpointResult = createUnionType({
  name: 'UpdateWebhookEndpointResult',
  types: () => [WebhookEndpointType, GenericError, VersionConflictError] as const,
  resolveType: resultType(WebhookEndpointType),
});

export const RotateWebhookSecretResult = createUnionType({
  name: 'RotateWebhookSecretResult',
  types: () => [WebhookEndpointWithSecretType, VersionConflictError] as const,
  resolveType: resultType(WebhookEndpointWithSecretType),
});
