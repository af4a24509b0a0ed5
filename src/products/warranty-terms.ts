/** Kinds of cover a warranty or plan gives (contract enum CoverageType). */
export const COVERAGE_TYPES = ['PARTS', 'LABOR', 'ACCIDENTAL_DAMAGE', 'ON_SITE', 'SHIPPING'] as const;
export type CoverageType = (typeof COVERAGE_TYPES)[number];

export const FAILURE_CATEGORIES = [
  'ELECTRICAL',
  'MECHANICAL',
  'DISPLAY',
  'BATTERY',
  'SOFTWARE',
  'COSMETIC',
  'ACCIDENTAL_DAMAGE',
  'LIQUID_DAMAGE',
  'OTHER',
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export const COVERAGE_STARTS = ['PURCHASE_DATE', 'DELIVERY_DATE', 'REGISTRATION_DATE'] as const;
export type CoverageStart = (typeof COVERAGE_STARTS)[number];

/** The manufacturer's base warranty for a product, stored as JSON on the product. */
export interface WarrantyTerms {
  durationMonths: number;
  startsFrom: CoverageStart;
  coverageTypes: CoverageType[];
  excludedFailures: FailureCategory[];
  transferable: boolean;
  registrationRequiredWithinDays: number | null;
  maxClaims: number | null;
  repairWarrantyDays: number;
}

/** Repair warranty when the manufacturer does not say: 90 days is the common industry term. */
export const DEFAULT_REPAIR_WARRANTY_DAYS = 90;
