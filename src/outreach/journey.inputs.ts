import { applyDecorators } from '@nestjs/common';
import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { daysInMonth } from '../common/dates/calendar-date.js';
import { ExpectedVersionField, IdField } from '../common/http/input-fields.js';
import { IsWebLink } from '../common/http/link.validator.js';
import { NotBlank } from '../common/http/text.validators.js';
import { MoneyInput } from '../common/money/money.types.js';
import { OutreachChannelEnum, OutreachKindEnum, OutreachTriggerEnum, SurveyScaleEnum } from './outreach.enums.js';
import {
  OUTREACH_CHANNELS,
  OUTREACH_KINDS,
  OUTREACH_TRIGGERS,
  SURVEY_SCALES,
  type OutreachChannel,
  type OutreachKind,
  type OutreachTrigger,
  type SurveyScale,
} from './outreach.rules.js';

/** Names and questions people read: no control characters. */
const PLAIN_TEXT = /^[^\p{Cc}]*$/u;
/** Ten years either way: further than any warranty or purchase anniversary a journey could mean. */
export const MAX_OFFSET_DAYS = 3650;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

/** MM-DD, a day that exists in some year (02-29 included: it falls on 02-28 in other years). */
const IsMonthDay = () =>
  ValidateBy({
    name: 'isMonthDay',
    validator: {
      validate: (value: unknown) => {
        const match = typeof value === 'string' ? MONTH_DAY.exec(value) : null;
        if (!match) return false;
        const [month, day] = [Number(match[1]), Number(match[2])];
        return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2024, month);
      },
      defaultMessage: () => '$property must be a day of the year as MM-DD, such as "12-24"',
    },
  });

const OffsetDaysField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      default: 0,
      minimum: -MAX_OFFSET_DAYS,
      maximum: MAX_OFFSET_DAYS,
      description: 'Shifts the trigger date; negative: before (BEFORE_WARRANTY_ENDS takes 0 or less).',
    }),
    Field(() => Int, { nullable: true }),
    IsOptional(),
    IsInt(),
    Min(-MAX_OFFSET_DAYS),
    Max(MAX_OFFSET_DAYS),
  );

const NameValidators = () =>
  applyDecorators(
    IsString(),
    Length(1, 200),
    NotBlank(),
    Matches(PLAIN_TEXT, { message: 'name must not contain control characters' }),
  );

const TemplatesField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: () => OutreachTemplateInput,
      isArray: true,
      description: 'Absent or empty: the built-in templates of the kind, in every language they exist in.',
    }),
    Field(() => [OutreachTemplateInput], {
      nullable: true,
      description: 'Absent or empty: the built-in templates of the kind, in every language they exist in.',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    ValidateNested({ each: true }),
    Type(() => OutreachTemplateInput),
  );

@InputType()
export class OutreachTemplateInput {
  @ApiProperty({ example: 'it', description: 'BCP 47; one template a language.' })
  @Field()
  @IsString()
  @Length(0, 35)
  locale: string;

  @ApiProperty({ example: 'La garanzia del tuo {{ product.name }}' })
  @Field()
  @IsString()
  @Length(0, 300)
  subject: string;

  @ApiProperty({ example: 'Ciao {{ owner.name }}, ...', description: 'Plain text with {{variables}}.' })
  @Field({ description: 'Plain text with {{variables}} (OUTREACH.md lists them); the HTML part is made from it.' })
  @IsString()
  @Length(0, 20_000)
  body: string;
}

@InputType()
export class CouponSpecInput {
  @ApiProperty({ example: 'THANKS', description: '2 to 12 of A-Z and 0-9; codes look like PREFIX-XXXXXXXX.' })
  @Field()
  @IsString()
  @Matches(/^[A-Z0-9]{2,12}$/, { message: 'prefix must be 2 to 12 capital letters A-Z or digits' })
  prefix: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, example: 15 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  discountPercent?: number | null;

  @ApiPropertyOptional({ type: () => MoneyInput })
  @Field(() => MoneyInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInput)
  discountAmount?: MoneyInput | null;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3650, example: 90 })
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(3650)
  validDays: number;
}

@InputType()
export class SurveySpecInput {
  @ApiProperty({ example: 'How likely are you to recommend us to a friend?' })
  @Field()
  @IsString()
  @Length(1, 500)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'question must not contain control characters' })
  question: string;

  @ApiProperty({ enum: SURVEY_SCALES, enumName: 'SurveyScale' })
  @Field(() => SurveyScaleEnum)
  @IsIn(SURVEY_SCALES)
  scale: SurveyScale;

  @ApiPropertyOptional({ default: true })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  askComment?: boolean;
}

@InputType()
export class CreateOutreachJourneyInput {
  @ApiProperty({ example: 'Warranty welcome' })
  @Field()
  @NameValidators()
  name: string;

  @ApiProperty({ enum: OUTREACH_KINDS, enumName: 'OutreachKind' })
  @Field(() => OutreachKindEnum)
  @IsIn(OUTREACH_KINDS)
  kind: OutreachKind;

  @ApiProperty({ enum: OUTREACH_TRIGGERS, enumName: 'OutreachTrigger' })
  @Field(() => OutreachTriggerEnum)
  @IsIn(OUTREACH_TRIGGERS)
  trigger: OutreachTrigger;

  @OffsetDaysField()
  offsetDays?: number;

  @ApiPropertyOptional({
    example: '12-24',
    description: 'MM-DD; for the ANNUAL_DATE trigger only, and required there.',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsMonthDay()
  annualDate?: string;

  @ApiPropertyOptional({ enum: OUTREACH_CHANNELS, enumName: 'OutreachChannel', default: 'EMAIL' })
  @Field(() => OutreachChannelEnum, { nullable: true })
  @IsOptional()
  @IsIn(OUTREACH_CHANNELS)
  channel?: OutreachChannel;

  @ApiPropertyOptional({
    type: String,
    isArray: true,
    example: ['FRIDGE'],
    description: 'Empty or absent: every category.',
  })
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  @Matches(/\S/, { each: true, message: 'each of productCategories must not be blank' })
  productCategories?: string[];

  @ApiPropertyOptional({ default: false, description: 'Only owners of units with no service plan attached.' })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  onlyWithoutServicePlan?: boolean;

  @TemplatesField()
  templates?: OutreachTemplateInput[];

  @ApiPropertyOptional({ type: () => CouponSpecInput, description: 'Required for a COUPON journey, and only there.' })
  @Field(() => CouponSpecInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CouponSpecInput)
  coupon?: CouponSpecInput;

  @ApiPropertyOptional({ type: () => SurveySpecInput, description: 'Required for a SURVEY journey, and only there.' })
  @Field(() => SurveySpecInput, { nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SurveySpecInput)
  survey?: SurveySpecInput;

  @ApiPropertyOptional({
    example: 'https://reviews.example.com/fr-200',
    description: 'REVIEW_REQUEST (required there, and only there): where the owner writes the review.',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @IsWebLink()
  reviewUrl?: string;
}

@InputType()
export class UpdateOutreachJourneyInput {
  @IdField()
  id: string;

  @ExpectedVersionField()
  expectedVersion: number;

  @ApiPropertyOptional({ example: 'Warranty welcome' })
  @Field({ nullable: true })
  @IsOptional()
  @NameValidators()
  name?: string;

  @ApiPropertyOptional({
    description: 'Re-activating sends for occasions from that day on, none missed while inactive.',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @OffsetDaysField()
  offsetDays?: number;

  @TemplatesField()
  templates?: OutreachTemplateInput[];
}
