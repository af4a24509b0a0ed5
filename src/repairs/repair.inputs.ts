import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import type { FailureCategory } from '../products/warranty-terms.js';
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
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsId } from '../common/http/params.js';
import { IsCode, NotBlank } from '../common/http/text.validators.js';
import { MAX_QUANTITY } from '../common/money/money.js';
import { MoneyInput } from '../common/money/money.types.js';
import { FailureCategoryEnum } from '../products/product.enums.js';
import { FAILURE_CATEGORIES } from '../products/warranty-terms.js';
import { REPAIR_STATUSES, type RepairStatus } from './repair-ticket.machine.js';
import { RepairStatusEnum } from './repair.enums.js';

@InputType()
export class OpenRepairTicketInput {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The unit, by id; or give serialNumber (with manufacturerId) for a unit the caller cannot see.',
  })
  @Field(() => ID, {
    nullable: true,
    description: 'The unit, by id or by serial number (with manufacturerId) for a unit the caller cannot see.',
  })
  @IsOptional()
  @IsId()
  unitId?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  serialNumber?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  manufacturerId?: string;

  @IdField()
  serviceCenterId: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 5000)
  @NotBlank()
  reportedIssue: string;

  @ApiProperty({ enum: FAILURE_CATEGORIES, enumName: 'FailureCategory' })
  @Field(() => FailureCategoryEnum)
  @IsIn(FAILURE_CATEGORIES)
  failureCategory: FailureCategory;
}

@InputType()
export class AssignTechnicianInput {
  @IdField()
  ticketId: string;

  @IdField()
  technicianId: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class RepairPartInput {
  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 100)
  @NotBlank()
  @IsCode()
  partNumber: string;

  @ApiProperty()
  @Field()
  @IsString()
  @Length(1, 500)
  @NotBlank()
  description: string;

  @ApiProperty()
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @ApiProperty({ type: MoneyInput })
  @Field(() => MoneyInput)
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  unitCost: MoneyInput;
}

@InputType()
export class UpdateRepairTicketInput {
  @IdField()
  ticketId: string;

  @ExpectedVersionField()
  expectedVersion: number;

  @ApiPropertyOptional({
    enum: REPAIR_STATUSES,
    enumName: 'RepairStatus',
    description: 'Move to this status, if given.',
  })
  @Field(() => RepairStatusEnum, { nullable: true, description: 'Move to this status, if given.' })
  @IsOptional()
  @IsIn(REPAIR_STATUSES)
  status?: RepairStatus;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  @NotBlank()
  note?: string;

  @ApiPropertyOptional()
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  diagnosis?: string;

  @ApiPropertyOptional({ type: [RepairPartInput] })
  @Field(() => [RepairPartInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RepairPartInput)
  addParts?: RepairPartInput[];

  @ApiPropertyOptional()
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  addLaborMinutes?: number;
}

@InputType()
export class ApproveRepairEstimateInput {
  @IdField()
  ticketId: string;

  @ExpectedVersionField()
  expectedVersion: number;
}

@InputType()
export class RepairTicketFilter {
  @ApiPropertyOptional({ enum: REPAIR_STATUSES, enumName: 'RepairStatus' })
  @Field(() => RepairStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(REPAIR_STATUSES)
  status?: RepairStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  technicianId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  unitId?: string;

  @ApiPropertyOptional({
    description: 'true: only tickets past their due time and not yet ready; false: only the others.',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;
}
