import { declareEnum } from '../common/graphql/enums.js';
import {
  OUTREACH_CHANNELS,
  OUTREACH_KINDS,
  OUTREACH_MESSAGE_STATUSES,
  OUTREACH_PURPOSES,
  OUTREACH_TRIGGERS,
  SUPPRESSION_REASONS,
  SURVEY_SCALES,
} from './outreach.rules.js';

export const OutreachKindEnum = declareEnum('OutreachKind', OUTREACH_KINDS, {
  description:
    'The nine kinds of after-sales outreach. SERVICE kinds reach every owner with an email address; MARKETING kinds only owners who gave marketing consent (OUTREACH.md).',
});
export const OutreachPurposeEnum = declareEnum('OutreachPurpose', OUTREACH_PURPOSES);
export const OutreachTriggerEnum = declareEnum('OutreachTrigger', OUTREACH_TRIGGERS, {
  description: "When a journey sends to a unit's owner; offsetDays shifts the date (negative: before).",
  valuesMap: {
    BEFORE_WARRANTY_ENDS: {
      description: "offsetDays before the end of the unit's base warranty (use a negative offsetDays).",
    },
    UPGRADE_ELIGIBLE: { description: "The day the unit becomes eligible for one of the sender's upgrade programs." },
    REPAIR_CLOSED: { description: 'A repair ticket of the unit was closed after a completed repair.' },
    RETURN_RESOLVED: { description: 'A return of the unit was resolved.' },
    BIRTHDAY: { description: "Every year on the owner's birthday." },
    ANNUAL_DATE: { description: 'Every year on annualDate (MM-DD), e.g. a holiday greeting.' },
  },
});
export const OutreachChannelEnum = declareEnum('OutreachChannel', OUTREACH_CHANNELS, {
  valuesMap: {
    EMAIL: { description: 'An email over SMTP.' },
    WEBHOOK: {
      description:
        "An outreach.message webhook event to the sender's own endpoints (its own email or SMS service sends it).",
    },
  },
});
export const SurveyScaleEnum = declareEnum('SurveyScale', SURVEY_SCALES, {
  valuesMap: {
    CSAT: { description: 'Customer satisfaction, 1 to 5.' },
    NPS: { description: 'Net promoter score, 0 to 10.' },
  },
});
export const OutreachMessageStatusEnum = declareEnum('OutreachMessageStatus', OUTREACH_MESSAGE_STATUSES);
export const SuppressionReasonEnum = declareEnum('SuppressionReason', SUPPRESSION_REASONS);
