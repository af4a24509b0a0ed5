import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsCode, NotBlank } from '../common/http/text.validators.js';

/** Codes look like PREFIX-XXXXXXXX; anything longer is no code of ours. */
export const MAX_COUPON_CODE_LENGTH = 64;

@InputType()
export class RedeemCouponInput {
  @ApiProperty({ example: 'THANKS-7KQ2MZ4X', description: 'The coupon code, in any case.' })
  @Field()
  @IsString()
  @Length(1, MAX_COUPON_CODE_LENGTH)
  @NotBlank()
  @IsCode()
  code: string;

  @ApiProperty({ example: 'ORDER-2026-0042', description: 'The order it is redeemed on; up to 200 characters.' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  @IsCode()
  orderReference: string;
}
