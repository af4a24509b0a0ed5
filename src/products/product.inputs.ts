import { applyDecorators } from '@nestjs/common';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MoneyInput } from '../common/money/money.types.js';
import {
  COVERAGE_STARTS,
  COVERAGE_TYPES,
  FAILURE_CATEGORIES,
  type CoverageStart,
  type CoverageType,
  type FailureCategory,
} from './warranty-terms.js';
import { CoverageStartEnum, CoverageTypeEnum, FailureCategoryEnum } from './product.enums.js';

/** Catalog text: printable, no control characters. Stored as given, escaped by whoever renders it. */
const PLAIN_TEXT = /^[^\p{Cc}]*$/u;

/** What a warranty or a plan covers: at least one kind of cover, each once. */
const CoverageTypesField = () =>
  applyDecorators(
    ApiProperty({ enum: COVERAGE_TYPES, enumName: 'CoverageType', isArray: true }),
    Field(() => [CoverageTypeEnum]),
    IsArray(),
    ArrayMinSize(1),
    ArrayUnique(),
    IsIn(COVERAGE_TYPES, { each: true }),
  );

/** Failure categories a warranty or a plan does not cover. */
const ExcludedFailuresField = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: FAILURE_CATEGORIES, enumName: 'FailureCategory', isArray: true }),
    Field(() => [FailureCategoryEnum], { nullable: true }),
    IsOptional(),
    IsArray(),
    ArrayUnique(),
    IsIn(FAILURE_CATEGORIES, { each: true }),
  );

@InputType()
export class WarrantyTermsInput {
  @ApiProperty({ minimum: 0, maximum: 600 })
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(600)
  durationMonths: number;

  @ApiProperty({ enum: COVERAGE_STARTS, enumName: 'CoverageStart' })
  @Field(() => CoverageStartEnum)
  @IsIn(COVERAGE_STARTS)
  startsFrom: CoverageStart;

  @CoverageTypesField()
  coverageTypes: CoverageType[];

  @ExcludedFailuresField()
  excludedFailures?: FailureCategory[];

  @ApiPropertyOptional({ default: true })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  transferable?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  registrationRequiredWithinDays?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxClaims?: number;

  @ApiPropertyOptional({ minimum: 0, default: 90 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  repairWarrantyDays?: number;
}

@InputType()
export class CreateProductInput {
  @ApiProperty({ example: 'NW-FRIDGE-500' })
  @Field()
  @IsString()
  @Length(1, 100)
  @Matches(/^\S(.*\S)?$/, { message: 'sku must not start or end with spaces' })
  @Matches(PLAIN_TEXT, { message: 'sku must not contain control characters' })
  @IsCode()
  sku: string;

  @ApiProperty({ example: 'Northwind 500L Fridge' })
  @Field()
  @IsString()
  @Length(1, 300)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ example: 'REFRIGERATOR' })
  @Field()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'category must not contain control characters' })
  category: string;

  @ApiProperty({ type: WarrantyTermsInput })
  @Field(() => WarrantyTermsInput)
  @IsObject()
  @ValidateNested()
  @Type(() => WarrantyTermsInput)
  warrantyTerms: WarrantyTermsInput;
}

@InputType()
export class CreateServicePlanInput {
  @ApiProperty({ example: 'Care+ 3 years' })
  @Field()
  @IsString()
  @Length(1, 300)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ minimum: 1, maximum: 600 })
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(600)
  durationMonths: number;

  @ApiProperty()
  @Field()
  @IsBoolean()
  startsAfterBaseWarranty: boolean;

  @CoverageTypesField()
  coverageTypes: CoverageType[];

  @ExcludedFailuresField()
  excludedFailures?: FailureCategory[];

  @ApiProperty({ type: [String], example: ['REFRIGERATOR'] })
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(/\S/, { each: true, message: 'eligibleCategories must not hold blank categories' })
  eligibleCategories: string[];

  @ApiProperty({ minimum: 0, maximum: 3650 })
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(3650)
  purchaseWindowDays: number;

  @ApiPropertyOptional({ minimum: 1 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxClaims?: number;

  @ApiPropertyOptional({ type: MoneyInput })
  @Field(() => MoneyInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  deductible?: MoneyInput;

  @ApiProperty({ type: MoneyInput })
  @Field(() => MoneyInput)
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  price: MoneyInput;
}
