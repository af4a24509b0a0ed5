import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DATE_TIME_EXAMPLE, parseInstant } from '../common/dates/instant.js';
import { IsId } from '../common/http/params.js';
import { NotBlank } from '../common/http/text.validators.js';
import { WebhookDeliveryStatusEnum } from './webhook.enums.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './webhook-delivery.entity.js';

/** An event type's spelling: `resource.change` in lower snake case (whether it exists is the service's check). */
const EVENT_TYPE_FORM = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;
const EVENT_TYPE_MESSAGE = 'each of eventTypes must be an event type such as repair_ticket.status_changed';

@InputType({ isAbstract: true })
class EndpointFields {
  @ApiPropertyOptional({ example: 'Order system', description: 'Up to 500 characters.' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['repair_ticket.status_changed', 'return.authorized'],
    description: 'The event types to receive (webhookEventTypes); empty or absent: every type.',
  })
  @Field(() => [String], { nullable: true, description: 'Empty or absent: every event type.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(EVENT_TYPE_FORM, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes?: string[];
}

@InputType()
export class CreateWebhookEndpointInput extends EndpointFields {
  @ApiProperty({ example: 'https://hooks.example.com/aftercare', description: 'https:// and a public address.' })
  @Field()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  url: string;
}

@InputType()
export class UpdateWebhookEndpointInput extends EndpointFields {
  @IdField()
  id: string;

  @ExpectedVersionField()
  expectedVersion: number;

  @ApiPropertyOptional({ example: 'https://hooks.example.com/aftercare' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  url?: string;

  @ApiPropertyOptional({
    description:
      'Re-enabling an endpoint the platform disabled resumes delivery of new events; recover the missed ones with recoverWebhookDeliveries.',
  })
  @Field({
    nullable: true,
    description:
      'Re-enabling an endpoint the platform disabled resumes delivery of new events; recover the missed ones with recoverWebhookDeliveries.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@InputType()
export class RotateWebhookSecretInput {
  @IdField()
  id: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class RecoverWebhookDeliveriesInput {
  @IdField()
  endpointId: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Every FAILED delivery created since then.' })
  @Field(() => GraphQLISODateTime, {
    description: 'Every FAILED delivery of the endpoint created since this instant is attempted again.',
  })
  @Transform(({ value }) => (value instanceof Date ? value : (parseInstant(value) ?? value)))
  @IsDate({ message: `since must be a date-time such as "${DATE_TIME_EXAMPLE}" (a real date, years 1900 to 9999)` })
  since: Date;
}

@InputType()
export class WebhookDeliveryFilter {
  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  endpointId?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus' })
  @Field(() => WebhookDeliveryStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;

  @ApiPropertyOptional({ example: 'unit.registered' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  eventType?: string;
}
