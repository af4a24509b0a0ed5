import type { FailureCategory } from '../products/warranty-terms.js';
import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Validate, ValidateNested } from 'class-validator';
import { IsId } from '../common/http/params.js';
import { DateScalarType } from '../common/graphql/scalars.js';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { FailureCategoryEnum } from '../products/product.enums.js';
import { FAILURE_CATEGORIES } from '../products/warranty-terms.js';

/** Up to this many coverage checks in one call, answered in order. */
export const MAX_COVERAGE_BATCH = 500;

@InputType('CoverageQuery')
export class CoverageQueryInput {
  @ApiProperty({ example: 'NW5-000123' })
  @Field()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  serialNumber: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Needed when the caller is not the manufacturer and serial numbers are not unique across manufacturers.',
  })
  @Field(() => ID, {
    nullable: true,
    description:
      'Needed when the caller is not the manufacturer and serial numbers are not unique across manufacturers.',
  })
  @IsOptional()
  @IsId()
  manufacturerId?: string;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'Defaults to today (UTC).' })
  @Field(() => DateScalarType, { nullable: true, description: 'Defaults to today.' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  asOf?: string;

  @ApiPropertyOptional({ enum: FAILURE_CATEGORIES, enumName: 'FailureCategory' })
  @Field(() => FailureCategoryEnum, { nullable: true })
  @IsOptional()
  @IsIn(FAILURE_CATEGORIES)
  failureCategory?: FailureCategory;
}

/** Body of POST /api/v1/coverage:batch. */
export class CoverageBatchInput {
  @ApiProperty({ type: [CoverageQueryInput], maxItems: MAX_COVERAGE_BATCH })
  @IsArray()
  @ArrayMaxSize(MAX_COVERAGE_BATCH, { message: `queries takes at most ${MAX_COVERAGE_BATCH} checks` })
  @ValidateNested({ each: true })
  @Type(() => CoverageQueryInput)
  queries: CoverageQueryInput[];
}
