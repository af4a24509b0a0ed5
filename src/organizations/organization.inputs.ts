import { IdField } from '../common/http/input-fields.js';
import { NotBlank } from '../common/http/text.validators.js';
import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DATE_TIME_EXAMPLE, parseInstant } from '../common/dates/instant.js';
import { IsId } from '../common/http/params.js';
import { MoneyInput } from '../common/money/money.types.js';
import { API_KEY_ROLES, type ApiKeyRole } from './api-key.entity.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from './organization.entity.js';
import { ApiKeyRoleEnum, OrganizationKindEnum } from './organization.enums.js';

/** The kinds an organization may be created as: the platform's own is made once, at start-up. */
type CreatableKind = Exclude<OrganizationKind, 'PLATFORM'>;
const CREATABLE_KINDS = ORGANIZATION_KINDS.filter((kind): kind is CreatableKind => kind !== 'PLATFORM');

/** Inputs shared by GraphQL (InputType) and REST (validated JSON body, OpenAPI schema). */
@InputType()
export class CreateOrganizationInput {
  @ApiProperty({ example: 'Northwind Appliances' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @ApiProperty({
    enum: CREATABLE_KINDS,
    description: "The kinds an organization may be created as (PLATFORM is the operator's own).",
  })
  @Field(() => OrganizationKindEnum)
  @IsIn(CREATABLE_KINDS, { message: `kind must be one of ${CREATABLE_KINDS.join(', ')}` })
  kind: CreatableKind;

  @ApiPropertyOptional({ type: MoneyInput, description: 'Service centers: hourly labor rate.' })
  @Field(() => MoneyInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  laborRate?: MoneyInput;

  @ApiPropertyOptional({ description: 'Service centers: turnaround target in calendar days (default 7).' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  turnaroundDays?: number;
}

@InputType()
export class CreateApiKeyInput {
  @IdField()
  organizationId: string;

  @ApiProperty({ example: 'POS integration' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @ApiProperty({ enum: API_KEY_ROLES, enumName: 'ApiKeyRole' })
  @Field(() => ApiKeyRoleEnum)
  @IsIn(API_KEY_ROLES)
  role: ApiKeyRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for TECHNICIAN keys.' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  technicianId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  // read strictly (GraphQL's DateTime scalar already did): no 30 February rolled into March
  @Transform(({ value }) => (value instanceof Date ? value : (parseInstant(value) ?? value)))
  @IsDate({ message: `expiresAt must be a date-time such as "${DATE_TIME_EXAMPLE}" (a real date, years 1900 to 9999)` })
  expiresAt?: Date;
}

@InputType()
export class CreateTechnicianInput {
  @IdField()
  serviceCenterId: string;

  @ApiProperty({ example: 'Dana Ortiz' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @ApiPropertyOptional({ example: 'dana@fixit.example' })
  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string;
}
