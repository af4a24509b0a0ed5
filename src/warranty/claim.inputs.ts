import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Validate,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../common/http/params.js';
import { DateScalarType, DecimalScalarType } from '../common/graphql/scalars.js';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { MAX_QUANTITY, QUANTITY_TEXT } from '../common/money/money.js';
import { MoneyInput } from '../common/money/money.types.js';
import { FailureCategoryEnum } from '../products/product.enums.js';
import { FAILURE_CATEGORIES } from '../products/warranty-terms.js';
import { CLAIM_DECISIONS, type ClaimDecision } from './claim-rules.js';
import { CLAIM_LINE_KINDS, type ClaimLineKind } from './claim.entity.js';
import { ClaimDecisionEnum, ClaimLineKindEnum, ClaimStatusEnum } from './claim.enums.js';
import { CLAIM_STATUSES, type ClaimStatus } from './warranty-claim.machine.js';

@InputType()
export class ClaimLineInput {
  @ApiProperty({ enum: CLAIM_LINE_KINDS, enumName: 'ClaimLineKind' })
  @Field(() => ClaimLineKindEnum)
  @IsIn(CLAIM_LINE_KINDS)
  kind: ClaimLineKind;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 500)
  @NotBlank()
  description: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsCode()
  partNumber?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsCode()
  laborCode?: string;

  @ApiProperty({ type: String, example: '1' })
  // integers are exact in JSON, so REST takes them as GraphQL's Decimal does; floats are refused
  @Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value))
  @Field(() => DecimalScalarType)
  @IsString()
  @Matches(QUANTITY_TEXT, {
    message: `quantity must be a positive decimal of at most ${MAX_QUANTITY} such as "1" or "1.5"`,
  })
  quantity: string;

  @ApiProperty({ type: MoneyInput })
  @Field(() => MoneyInput)
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  unitAmount: MoneyInput;
}

@InputType()
export class SubmitWarrantyClaimInput {
  @IdField()
  unitId: string;

  @ApiProperty({ enum: FAILURE_CATEGORIES, enumName: 'FailureCategory' })
  @Field(() => FailureCategoryEnum)
  @IsIn(FAILURE_CATEGORIES)
  failureCategory: FailureCategory;

  @ApiProperty({ type: String, format: 'date' })
  @Field(() => DateScalarType)
  @Validate(IsCalendarDateConstraint)
  failureDate: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 5000)
  @NotBlank()
  description: string;

  @ApiProperty({ type: [ClaimLineInput] })
  @Field(() => [ClaimLineInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ClaimLineInput)
  lines: ClaimLineInput[];

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  repairTicketId?: string;
}

@InputType()
export class ReviewWarrantyClaimInput {
  @IdField()
  claimId: string;

  @ApiProperty({ enum: CLAIM_DECISIONS, enumName: 'ClaimDecision' })
  @Field(() => ClaimDecisionEnum)
  @IsIn(CLAIM_DECISIONS)
  decision: ClaimDecision;

  @ApiPropertyOptional({
    type: MoneyInput,
    description: 'For APPROVE: less than the requested total makes it PARTIALLY_APPROVED.',
  })
  @Field(() => MoneyInput, {
    nullable: true,
    description: 'For APPROVE: less than the requested total makes it PARTIALLY_APPROVED.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  approvedTotal?: MoneyInput;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  reasonCode?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  note?: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType({ description: 'The claimant answers a REQUEST_INFO (back to IN_REVIEW) or cancels an undecided claim.' })
export class AnswerClaimInfoRequestInput {
  @IdField()
  claimId: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 5000)
  @NotBlank()
  note: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class CancelWarrantyClaimInput {
  @IdField()
  claimId: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  note?: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class WarrantyClaimFilter {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES, enumName: 'ClaimStatus' })
  @Field(() => ClaimStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: ClaimStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  unitId?: string;
}
