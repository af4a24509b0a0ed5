import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import type { OutreachJourneyEntity, StoredCouponSpec } from './outreach.entities.js';
import {
  OutreachChannelEnum,
  OutreachKindEnum,
  OutreachPurposeEnum,
  OutreachTriggerEnum,
  SurveyScaleEnum,
} from './outreach.enums.js';
import type { OutreachChannel, OutreachKind, OutreachPurpose, OutreachTrigger, SurveyScale } from './outreach.rules.js';
import { templatesFor } from './templates/builtin-templates.js';

@ApiSchema({ name: 'OutreachTemplate' })
export class OutreachTemplateView {
  @ApiText('en') locale: string;
  @ApiText('Your {{ product.name }}: the warranty at a glance') subject: string;
  @ApiText('Hello {{ owner.name }}, ...', {
    description: 'Plain text with {{variables}}; the HTML part is made from it.',
  })
  body: string;
}

@ApiSchema({ name: 'CouponSpec' })
export class CouponSpecView {
  @ApiText('THANKS', { description: 'Codes look like PREFIX-XXXXXXXX, unique.' }) prefix: string;
  @ApiInt(15, { nullable: true }) discountPercent: number | null;
  @ApiMoney({ nullable: true }) discountAmount: MoneyType | null;
  @ApiInt(90) validDays: number;
}

@ApiSchema({ name: 'SurveySpec' })
export class SurveySpecView {
  @ApiText('How likely are you to recommend us to a friend?') question: string;
  @ApiEnum(SurveyScaleEnum, 'SurveyScale') scale: SurveyScale;
  @ApiBool(true) askComment: boolean;
}

@ApiSchema({ name: 'OutreachStats', description: "What a journey's messages did so far." })
export class OutreachStatsView {
  @ApiInt(12) queued: number;
  @ApiInt(140) sent: number;
  @ApiInt(9) suppressed: number;
  @ApiInt(1) failed: number;
  @ApiInt(37, { description: 'Clicks on the links of its messages.' }) linkClicks: number;
  @ApiInt(21) surveyResponses: number;
  @ApiInt(140, { description: 'Coupons of SENT messages.' }) couponsIssued: number;
  @ApiInt(18) couponsRedeemed: number;
}

@ApiSchema({ name: 'OutreachJourney', description: "A sender's journey: what it sends, to whom, on which occasion." })
export class OutreachJourneyView {
  @ApiId() id: string;
  @ApiId({ description: 'The organization that sends it.' }) senderId: string;
  @ApiText('Warranty welcome') name: string;
  @ApiEnum(OutreachKindEnum, 'OutreachKind') kind: OutreachKind;
  @ApiEnum(OutreachPurposeEnum, 'OutreachPurpose') purpose: OutreachPurpose;
  @ApiEnum(OutreachTriggerEnum, 'OutreachTrigger') trigger: OutreachTrigger;
  @ApiInt(0) offsetDays: number;
  @ApiText('12-24', { nullable: true, description: 'MM-DD, for ANNUAL_DATE.' }) annualDate: string | null;
  @ApiEnum(OutreachChannelEnum, 'OutreachChannel') channel: OutreachChannel;
  @ApiProperty({ type: String, isArray: true, example: ['FRIDGE'], description: 'Empty: every category.' })
  productCategories: string[];
  @ApiBool(false) onlyWithoutServicePlan: boolean;
  @ApiNested(() => OutreachTemplateView, {
    isArray: true,
    description: 'Its own templates, or the built-in ones of its kind when it has none.',
  })
  templates: OutreachTemplateView[];
  @ApiNested(() => CouponSpecView, { nullable: true }) coupon: CouponSpecView | null;
  @ApiNested(() => SurveySpecView, { nullable: true }) survey: SurveySpecView | null;
  @ApiText('https://reviews.example.com/fr-200', { nullable: true }) reviewUrl: string | null;
  @ApiBool(true) active: boolean;
  @ApiNested(() => OutreachStatsView) stats: OutreachStatsView;
  @ApiDateTime() createdAt: Date;
  @ApiInt(1) version: number;
}

export const NO_STATS: OutreachStatsView = {
  queued: 0,
  sent: 0,
  suppressed: 0,
  failed: 0,
  linkClicks: 0,
  surveyResponses: 0,
  couponsIssued: 0,
  couponsRedeemed: 0,
};

const couponView = (c: StoredCouponSpec): CouponSpecView => ({
  prefix: c.prefix,
  discountPercent: c.discountPercent,
  discountAmount: moneyOrNull(c.discountAmount, c.discountCurrency),
  validDays: c.validDays,
});

export const toJourneyView = (j: OutreachJourneyEntity, stats: OutreachStatsView): OutreachJourneyView =>
  typed(
    {
      id: j.id,
      senderId: j.senderId,
      name: j.name,
      kind: j.kind,
      purpose: j.purpose,
      trigger: j.trigger,
      offsetDays: j.offsetDays,
      annualDate: j.annualDate,
      channel: j.channel,
      productCategories: j.productCategories,
      onlyWithoutServicePlan: j.onlyWithoutServicePlan,
      templates: templatesFor(j).map(({ locale, subject, body }) => ({ locale, subject, body })),
      coupon: j.coupon ? couponView(j.coupon) : null,
      survey: j.survey ? { question: j.survey.question, scale: j.survey.scale, askComment: j.survey.askComment } : null,
      reviewUrl: j.reviewUrl,
      active: j.active,
      stats,
      createdAt: j.createdAt,
      version: j.version,
    },
    'OutreachJourney',
  );
