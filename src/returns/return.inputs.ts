import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../common/http/params.js';
import { DateScalarType, DecimalScalarType } from '../common/graphql/scalars.js';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { CoverageStartEnum, FailureCategoryEnum } from '../products/product.enums.js';
import {
  COVERAGE_STARTS,
  FAILURE_CATEGORIES,
  type CoverageStart,
  type FailureCategory,
} from '../products/warranty-terms.js';
import {
  ITEM_CONDITIONS,
  RETURN_REASONS,
  RETURN_RESOLUTIONS,
  type ItemCondition,
  type ReturnReason,
  type ReturnResolution,
} from './return-rules.js';
import { RETURN_STATUSES, type ReturnStatus } from './return.machine.js';
import { ItemConditionEnum, ReturnReasonEnum, ReturnResolutionEnum, ReturnStatusEnum } from './return.enums.js';

const integerAsText = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;

@InputType()
export class CreateReturnPolicyInput {
  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Product categories it applies to; empty or absent: the default policy.',
  })
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(/\S/, { each: true, message: 'each of categories must not be blank' })
  categories?: string[];

  @ApiProperty()
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(3650)
  windowDays: number;

  @ApiPropertyOptional()
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  unopenedWindowDays?: number;

  @ApiPropertyOptional({ enum: COVERAGE_STARTS, enumName: 'CoverageStart' })
  @Field(() => CoverageStartEnum, { nullable: true })
  @IsOptional()
  @IsIn(COVERAGE_STARTS)
  windowStartsFrom?: CoverageStart;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  holidayPurchaseStart?: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  holidayPurchaseEnd?: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  holidayReturnUntil?: string;

  @ApiProperty({ type: String, example: '15', description: 'Percent of the price, 0 to 100.' })
  @Field(() => DecimalScalarType)
  @Transform(integerAsText)
  @IsString()
  @Matches(/^\d{1,3}(\.\d{1,4})?$/, {
    message: 'restockingFeePercent must be a decimal from 0 to 100 such as "15" or "12.5"',
  })
  restockingFeePercent: string;

  @ApiPropertyOptional({
    description: 'No restocking fee for DEFECTIVE, DAMAGED_IN_TRANSIT or WRONG_ITEM; true unless said.',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  waiveFeeWhenRetailerAtFault?: boolean;

  @ApiProperty({ enum: RETURN_RESOLUTIONS, enumName: 'ReturnResolution', isArray: true })
  @Field(() => [ReturnResolutionEnum])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(RETURN_RESOLUTIONS, { each: true })
  allowedResolutions: ReturnResolution[];

  @ApiPropertyOptional({ description: 'Authorized returns not shipped within this many days expire; 14 unless said.' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  shipWithinDays?: number;
}

@InputType()
class ReturnLineInput {
  @IdField()
  unitId: string;

  @ApiProperty({ enum: RETURN_REASONS, enumName: 'ReturnReason' })
  @Field(() => ReturnReasonEnum)
  @IsIn(RETURN_REASONS)
  reason: ReturnReason;

  @ApiProperty({ enum: ITEM_CONDITIONS, enumName: 'ItemCondition' })
  @Field(() => ItemConditionEnum)
  @IsIn(ITEM_CONDITIONS)
  condition: ItemCondition;

  @ApiProperty({ enum: RETURN_RESOLUTIONS, enumName: 'ReturnResolution' })
  @Field(() => ReturnResolutionEnum)
  @IsIn(RETURN_RESOLUTIONS)
  requestedResolution: ReturnResolution;
}

@InputType()
export class RequestReturnInput {
  @ApiProperty({ type: [ReturnLineInput] })
  @Field(() => [ReturnLineInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineInput)
  lines: ReturnLineInput[];

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'Defaults to today; lets a retailer record a return asked for in store earlier.',
  })
  @Field(() => DateScalarType, {
    nullable: true,
    description: 'Defaults to today; lets a retailer record a return asked for in store earlier.',
  })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  requestedOn?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@InputType()
export class TransitionReturnInput {
  @IdField()
  returnId: string;

  @ApiProperty({ enum: RETURN_STATUSES, enumName: 'ReturnStatus' })
  @Field(() => ReturnStatusEnum)
  @IsIn(RETURN_STATUSES)
  to: ReturnStatus;

  @ExpectedVersionField()
  expectedVersion: number;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  note?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  trackingNumber?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  carrier?: string;
}

@InputType()
class InspectReturnLineInput {
  @IdField()
  lineId: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 50)
  @NotBlank()
  @IsCode()
  grade: string;

  @ApiProperty({ enum: ITEM_CONDITIONS, enumName: 'ItemCondition' })
  @Field(() => ItemConditionEnum)
  @IsIn(ITEM_CONDITIONS)
  condition: ItemCondition;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@InputType()
export class ResolveReturnLineInput {
  @IdField()
  lineId: string;

  @ApiProperty({ enum: RETURN_RESOLUTIONS, enumName: 'ReturnResolution' })
  @Field(() => ReturnResolutionEnum)
  @IsIn(RETURN_RESOLUTIONS)
  resolution: ReturnResolution;

  @ApiPropertyOptional({ description: 'For EXCHANGE: the serial number of the unit handed out in exchange.' })
  @Field({ nullable: true, description: 'For EXCHANGE: the serial number of the unit handed out in exchange.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  replacementSerialNumber?: string;

  @ApiPropertyOptional({
    enum: FAILURE_CATEGORIES,
    enumName: 'FailureCategory',
    description: 'For REPAIR: the failure reported to the service center; OTHER unless said.',
  })
  @Field(() => FailureCategoryEnum, {
    nullable: true,
    description: 'For REPAIR: the failure reported to the service center; OTHER unless said.',
  })
  @IsOptional()
  @IsIn(FAILURE_CATEGORIES)
  failureCategory?: FailureCategory;

  @ApiPropertyOptional({ format: 'uuid', description: 'For REPAIR: the service center that gets the unit.' })
  @Field(() => ID, { nullable: true, description: 'For REPAIR: the service center that gets the unit.' })
  @IsOptional()
  @IsId()
  serviceCenterId?: string;
}

@InputType()
export class InspectReturnInput {
  @IdField()
  returnId: string;

  @ApiProperty({ type: [InspectReturnLineInput] })
  @Field(() => [InspectReturnLineInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => InspectReturnLineInput)
  lines: InspectReturnLineInput[];

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class ResolveReturnInput {
  @IdField()
  returnId: string;

  @ApiProperty({ type: [ResolveReturnLineInput] })
  @Field(() => [ResolveReturnLineInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ResolveReturnLineInput)
  lines: ResolveReturnLineInput[];

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class ReturnFilter {
  @ApiPropertyOptional({ enum: RETURN_STATUSES, enumName: 'ReturnStatus' })
  @Field(() => ReturnStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  unitId?: string;
}
