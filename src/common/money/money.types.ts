import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { DecimalScalarType } from '../graphql/scalars.js';
import { isCurrencyCode, MAX_INPUT_AMOUNT_DIGITS, money } from './money.js';

@ValidatorConstraint({ name: 'isCurrencyCode' })
class IsCurrencyCodeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return isCurrencyCode(value);
  }
  defaultMessage() {
    return '$property must be an ISO 4217 currency code such as "USD", "EUR" or "JPY"';
  }
}

@ObjectType('Money')
@ApiSchema({ name: 'Money' })
export class MoneyType {
  @ApiProperty({ type: String, example: '169.99', description: 'Decimal amount as a string.' })
  @Field(() => DecimalScalarType)
  amount: string;
  @ApiProperty({ example: 'USD' })
  @Field()
  currency: string;
}

@InputType('MoneyInput')
export class MoneyInput {
  @ApiProperty({ type: String, example: '169.99', description: 'Decimal amount as a string.' })
  @Field(() => DecimalScalarType)
  // integers are exact in JSON, so REST takes them as GraphQL's Decimal does; floats are refused
  @Transform(({ value }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value))
  @IsString({ message: '$property must be a decimal string such as "169.99" (or an integer)' })
  @Matches(new RegExp(`^\\d{1,${MAX_INPUT_AMOUNT_DIGITS}}(\\.\\d{1,10})?$`), {
    message: `$property must be a non-negative decimal string below a billion (${MAX_INPUT_AMOUNT_DIGITS} integer digits at most) such as "169.99"`,
  })
  amount: string;

  @ApiProperty({ example: 'USD' })
  @Field()
  @Validate(IsCurrencyCodeConstraint)
  currency: string;
}

/** Money from a pair of stored columns, or null when there is no amount. */
export function moneyOrNull(amount: string | null | undefined, currency: string | null | undefined): MoneyType | null {
  return amount === null || amount === undefined || !currency ? null : money(amount, currency.trim());
}
