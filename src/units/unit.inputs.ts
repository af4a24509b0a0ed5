import { IdField } from '../common/http/input-fields.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
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
import { IsLocaleTag } from '../common/http/locale.validator.js';
import { DateScalarType } from '../common/graphql/scalars.js';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';
import { MoneyInput } from '../common/money/money.types.js';
import { UnitStatusEnum } from './unit.enums.js';
import { UNIT_STATUSES, type UnitStatus } from './unit.machine.js';

const PLAIN_TEXT = /^[^\p{Cc}]*$/u;

@InputType()
export class CustomerInput {
  @ApiProperty({ example: 'Ada Lovelace' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'name must not contain control characters' })
  name: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  @Field({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 320)
  email?: string;

  @ApiPropertyOptional({ example: '+44 20 7946 0000' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, { message: 'phone must be a phone number (digits, spaces, + ( ) . / -)' })
  phone?: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  birthDate?: string;

  @ApiPropertyOptional({ default: false })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  marketingConsent?: boolean;

  @ApiPropertyOptional({ example: 'it', description: "The owner's language, BCP 47; messages and pages use it." })
  @Field({
    nullable: true,
    description: "The owner's language, BCP 47 (en, it, es, ru, sv, …); messages and pages use it.",
  })
  @IsOptional()
  @IsLocaleTag()
  locale?: string;
}

@InputType()
export class RegisterUnitInput {
  @ApiPropertyOptional({ format: 'uuid', description: 'The product, by id or by SKU.' })
  @Field(() => ID, {
    nullable: true,
    description:
      "The product, by id or by the manufacturer's SKU (then manufacturerId is needed unless the caller is that manufacturer).",
  })
  @IsOptional()
  @IsId()
  productId?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsCode()
  sku?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  manufacturerId?: string;

  @ApiProperty({ example: 'NW5-000123' })
  @Field()
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}\s]([^\p{Cc}]*[^\p{Cc}\s])?$/u, {
    message: 'serialNumber must not contain control characters or start or end with spaces',
  })
  @IsCode()
  serialNumber: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-11-01' })
  @Field(() => DateScalarType)
  @Validate(IsCalendarDateConstraint)
  purchaseDate: string;

  @ApiPropertyOptional({ type: String, format: 'date' })
  @Field(() => DateScalarType, { nullable: true })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  deliveryDate?: string;

  @ApiPropertyOptional({ type: MoneyInput })
  @Field(() => MoneyInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  purchasePrice?: MoneyInput;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Set by a manufacturer or platform caller; a retailer caller is the retailer.',
  })
  @Field(() => ID, {
    nullable: true,
    description: 'Set by a manufacturer or platform caller; a retailer caller is the retailer.',
  })
  @IsOptional()
  @IsId()
  retailerId?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PLAIN_TEXT, { message: 'proofOfPurchaseRef must not contain control characters' })
  @IsCode()
  proofOfPurchaseRef?: string;

  @ApiPropertyOptional({ type: CustomerInput })
  @Field(() => CustomerInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerInput)
  customer?: CustomerInput;
}

@InputType()
export class TransferOwnershipInput {
  @IdField()
  unitId: string;

  @ApiProperty({ type: CustomerInput })
  @Field(() => CustomerInput)
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerInput)
  newOwner: CustomerInput;

  @ApiPropertyOptional()
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  expectedVersion?: number;
}

@InputType()
export class AttachServicePlanInput {
  @IdField()
  unitId: string;

  @IdField()
  servicePlanId: string;

  @ApiProperty({ type: String, format: 'date' })
  @Field(() => DateScalarType)
  @Validate(IsCalendarDateConstraint)
  purchasedAt: string;
}

@InputType()
export class UnitFilter {
  @ApiPropertyOptional({ enum: UNIT_STATUSES, enumName: 'UnitStatus' })
  @Field(() => UnitStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(UNIT_STATUSES)
  status?: UnitStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  productId?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsCode()
  serialNumber?: string;

  // the owner filters (unit-owner-search.ts) find only units whose owner the caller may read
  @ApiPropertyOptional({
    example: 'ada@example.com',
    description: 'Exact, case-insensitive; only units whose owner the caller may see.',
  })
  @Field({ nullable: true, description: 'Exact, case-insensitive; only units whose owner the caller may see.' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  @NotBlank()
  @IsCode()
  ownerEmail?: string;

  @ApiPropertyOptional({ example: '+44 20 7946 0000', description: 'Exact, after removing spaces and punctuation.' })
  @Field({ nullable: true, description: 'Exact, after removing spaces and punctuation.' })
  @IsOptional()
  @IsString()
  @Matches(/^(?=.*[0-9])\+?[0-9 ()./-]{1,40}$/, {
    message: 'ownerPhone must be a phone number with at least one digit (digits, spaces, + ( ) . / -)',
  })
  ownerPhone?: string;

  @ApiPropertyOptional({ example: 'Ada Lo', description: "Case-insensitive prefix of the owner's name." })
  @Field({ nullable: true, description: "Case-insensitive prefix of the owner's name." })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  @IsCode()
  ownerNamePrefix?: string;
}
