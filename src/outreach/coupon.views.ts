import { ApiSchema } from '@nestjs/swagger';
import { ApiDateTime, ApiDay, ApiId, ApiInt, ApiMoney, ApiText } from '../common/openapi/properties.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { CouponEntity } from './outreach.entities.js';

/** The API's shape of a coupon a journey issued (GraphQL and REST alike). */
@ApiSchema({ name: 'Coupon' })
export class CouponView {
  @ApiText('THANKS-7KQ2MZ4X') code: string;
  @ApiId() journeyId: string;
  @ApiId() unitId: string;
  @ApiDay({ description: 'The last day it may be redeemed (UTC).' }) expiresOn: string;
  @ApiInt(15, { nullable: true }) discountPercent: number | null;
  @ApiMoney({ nullable: true }) discountAmount: MoneyType | null;
  @ApiDateTime({ nullable: true }) redeemedAt: Date | null;
  @ApiText('ORDER-2026-0042', { nullable: true, description: 'The order it was redeemed on.' })
  orderReference: string | null;
}

export const toCouponView = (c: CouponEntity): CouponView => ({
  code: c.code,
  journeyId: c.journeyId,
  unitId: c.unitId,
  expiresOn: c.expiresOn,
  discountPercent: c.discountPercent,
  discountAmount: moneyOrNull(c.discountAmount, c.discountCurrency),
  redeemedAt: c.redeemedAt,
  orderReference: c.orderReference,
});
