import type { OutreachKind } from '../../outreach.rules.js';

/** The kinds whose built-in body lists the product's resources. */
export type ResourceListingKind = Extract<OutreachKind, 'PRODUCT_TRAINING' | 'SUPPORT_RESOURCES'>;

/** Where a return window starts counting (DOMAIN.md CoverageStart, a return policy's windowStartsFrom). */
export type ReturnWindowStart = 'PURCHASE_DATE' | 'DELIVERY_DATE' | 'REGISTRATION_DATE';

/** A return policy as the summary sentence needs it; the fee is already written the locale's way ("15 %"). */
export interface ReturnPolicyWords {
  windowDays: number;
  startsFrom: ReturnWindowStart;
  /** null: no restocking fee. */
  restockingFee: string | null;
}

/**
 * Everything a shipped language says in outreach: the built-in subject and body of each kind (without
 * the closing unsubscribe line, which is added to every one), that line, and the return policy in words.
 */
export interface OutreachLanguage {
  templates: Record<OutreachKind, { subject: string; body: string }>;
  /**
   * The words of the kinds that list the product's resources, for a product that has none (no empty
   * list to point at); the subject where the usual one promises material.
   */
  withoutResources: Record<ResourceListingKind, { subject?: string; body: string }>;
  /** The last line of every message; holds {{ links.unsubscribe }}. */
  unsubscribeLine: string;
  returnPolicySummary(policy: ReturnPolicyWords): string;
}
