import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsId } from '../common/http/params.js';
import { OutreachMessageStatusEnum } from './outreach.enums.js';
import { OUTREACH_MESSAGE_STATUSES, type OutreachMessageStatus } from './outreach.rules.js';

@InputType()
export class OutreachMessageFilter {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the messages of this journey (one of yours).' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  journeyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the messages about this unit.' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  unitId?: string;

  @ApiPropertyOptional({ enum: OUTREACH_MESSAGE_STATUSES, enumName: 'OutreachMessageStatus' })
  @Field(() => OutreachMessageStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(OUTREACH_MESSAGE_STATUSES)
  status?: OutreachMessageStatus;
}
