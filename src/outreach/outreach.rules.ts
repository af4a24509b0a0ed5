/**
 * The vocabulary of outreach (docs/outreach.md): the nine kinds of after-sales message, whether
 * each is a SERVICE message (every owner with an email) or MARKETING (only with consent, capped),
 * the triggers that date an occasion, the channels, and why a message may be held back.
 */
export const OUTREACH_KINDS = [
  'WARRANTY_INFO',
  'PRODUCT_TRAINING',
  'REPAIR_OR_UPGRADE_OFFER',
  'REVIEW_REQUEST',
  'RETURN_POLICY',
  'SUPPORT_RESOURCES',
  'COUPON',
  'SURVEY',
  'GREETING',
] as const;
export type OutreachKind = (typeof OUTREACH_KINDS)[number];

export const OUTREACH_PURPOSES = ['SERVICE', 'MARKETING'] as const;
export type OutreachPurpose = (typeof OUTREACH_PURPOSES)[number];

const SERVICE_KINDS: ReadonlySet<OutreachKind> = new Set([
  'WARRANTY_INFO',
  'PRODUCT_TRAINING',
  'RETURN_POLICY',
  'SUPPORT_RESOURCES',
]);

/** SERVICE kinds reach every owner with an email; the others need marketing consent. */
export const purposeOf = (kind: OutreachKind): OutreachPurpose => (SERVICE_KINDS.has(kind) ? 'SERVICE' : 'MARKETING');

export const OUTREACH_TRIGGERS = [
  'UNIT_REGISTERED',
  'DAYS_AFTER_PURCHASE',
  'BEFORE_WARRANTY_ENDS',
  'UPGRADE_ELIGIBLE',
  'REPAIR_CLOSED',
  'RETURN_RESOLVED',
  'BIRTHDAY',
  'ANNUAL_DATE',
] as const;
export type OutreachTrigger = (typeof OUTREACH_TRIGGERS)[number];

/** Triggers that go once per owner address (about the owner's most recently registered active unit), not per unit. */
export const PER_ADDRESS_TRIGGERS: ReadonlySet<OutreachTrigger> = new Set(['BIRTHDAY', 'ANNUAL_DATE']);

export const OUTREACH_CHANNELS = ['EMAIL', 'WEBHOOK'] as const;
export type OutreachChannel = (typeof OUTREACH_CHANNELS)[number];

export const SURVEY_SCALES = ['CSAT', 'NPS'] as const;
export type SurveyScale = (typeof SURVEY_SCALES)[number];

/** The scores a scale accepts, inclusive. */
export const SCALE_RANGE: Record<SurveyScale, { min: number; max: number }> = {
  CSAT: { min: 1, max: 5 },
  NPS: { min: 0, max: 10 },
};

export const OUTREACH_MESSAGE_STATUSES = ['QUEUED', 'SENT', 'SUPPRESSED', 'FAILED'] as const;
export type OutreachMessageStatus = (typeof OUTREACH_MESSAGE_STATUSES)[number];

export const SUPPRESSION_REASONS = [
  'NO_EMAIL',
  'NO_MARKETING_CONSENT',
  'UNSUBSCRIBED',
  'FREQUENCY_CAP',
  'BOUNCED',
  'UNIT_NOT_ACTIVE',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** The languages the built-in templates and the owner pages are written in. */
export const SHIPPED_LOCALES = ['en', 'it', 'es', 'ru', 'sv'] as const;
export type ShippedLocale = (typeof SHIPPED_LOCALES)[number];
