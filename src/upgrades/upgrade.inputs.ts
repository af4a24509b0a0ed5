import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
import { DateScalarType } from '../common/graphql/scalars.js';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { MoneyInput } from '../common/money/money.types.js';
import { UpgradeStatusEnum } from './upgrade.enums.js';
import { UPGRADE_STATUSES, type UpgradeStatus } from './upgrade-request.machine.js';

@InputType()
export class TradeInValueInput {
  @ApiProperty({ example: 'A' })
  @Field()
  @IsString()
  @Length(1, 20)
  @NotBlank()
  @IsCode()
  grade: string;

  @ApiProperty({ type: MoneyInput })
  @Field(() => MoneyInput)
  @ValidateNested()
  @Type(() => MoneyInput)
  value: MoneyInput;
}

@InputType()
export class CreateUpgradeProgramInput {
  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @ApiProperty({ type: [String] })
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(/\S/, { each: true, message: 'each of eligibleCategories must not be blank' })
  eligibleCategories: string[];

  @ApiProperty({ type: [String], format: 'uuid' })
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsId({ each: true })
  targetProductIds: string[];

  @ApiProperty()
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(600)
  minMonthsOwned: number;

  @ApiPropertyOptional({ description: 'Units older than this (from purchase) are not eligible; null for no limit.' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  maxUnitAgeMonths?: number;

  @ApiPropertyOptional({ description: 'false unless said.' })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  requiresActiveCoverage?: boolean;

  @ApiProperty({ type: [TradeInValueInput] })
  @Field(() => [TradeInValueInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TradeInValueInput)
  tradeInValues: TradeInValueInput[];

  @ApiProperty({ type: String, format: 'date' })
  @Field(() => DateScalarType)
  @Validate(IsCalendarDateConstraint)
  validFrom: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  validUntil?: string;
}

@InputType()
export class RequestUpgradeInput {
  @IdField()
  unitId: string;

  @IdField()
  programId: string;

  @IdField()
  targetProductId: string;
}

@InputType()
export class CompleteUpgradeInput {
  @IdField()
  upgradeId: string;

  @ExpectedVersionField()
  expectedVersion: number;

  @ApiProperty({ description: 'Grade found when the trade-in was inspected.' })
  @Field({ description: 'Grade found when the trade-in was inspected.' })
  @IsString()
  @Length(1, 20)
  @NotBlank()
  @IsCode()
  grade: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  newSerialNumber: string;

  @ApiProperty({ type: String, format: 'date' })
  @Field(() => DateScalarType)
  @Validate(IsCalendarDateConstraint)
  purchaseDate: string;
}

/** Logging the trade-in as received before completing (REQUESTED → TRADE_IN_RECEIVED). */
@InputType()
export class ReceiveTradeInInput {
  @IdField()
  upgradeId: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

/** Which of the upgrade requests the caller may see to list. */
@InputType()
export class UpgradeRequestFilter {
  @ApiPropertyOptional({ enum: UPGRADE_STATUSES, enumName: 'UpgradeStatus' })
  @Field(() => UpgradeStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(UPGRADE_STATUSES)
  status?: UpgradeStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  unitId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  programId?: string;
}
