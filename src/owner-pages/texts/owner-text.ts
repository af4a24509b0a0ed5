import type { RepairStatus } from '../../repairs/repair-ticket.machine.js';

/**
 * Everything the owner pages say, in one language. Values come in already formatted for the
 * page's locale (dates, money, percentages); a function says where they go, so each language
 * orders its own sentence. Counts go through `days`, which knows the language's plural forms.
 */
export interface OwnerText {
  /** The BCP 47 tag of the language, for the lang attribute and Intl. */
  lang: string;
  privateNote: string;

  notValidTitle: string;
  notValidBody: string;
  tooManyTitle: string;
  tooManyBody: string;
  errorTitle: string;
  errorBody: string;
  formProblemTitle: string;
  formMissing: string;
  formTooLarge: string;

  unitTitle: string;
  serialNumber: string;
  productCode: string;
  purchaseDate: string;
  coverageHeading: string;
  coveredToday: string;
  notCoveredToday: string;
  coveredUntil: (date: string) => string;
  coverageUntil: (name: string, date: string) => string;
  coverageFromTo: (name: string, from: string, to: string) => string;
  baseWarranty: string;
  repairWarranty: string;
  carryOver: string;
  plansHeading: string;
  noPlans: string;
  planPeriod: (name: string, from: string, to: string) => string;
  resourcesHeading: string;
  returnHeading: string;
  returnOpen: (date: string, daysLeft: string) => string;
  restockingFee: (percent: string) => string;
  /** "12 days left", as the return window's parenthesis says it. */
  daysLeft: (n: number) => string;
  repairHeading: string;
  openRepair: (reference: string, status: string) => string;
  followRepair: string;
  helpHeading: string;
  shop: (name: string) => string;
  manufacturer: (name: string) => string;
  supportContact: string;

  repairTitle: (reference: string) => string;
  product: string;
  status: string;
  expectedBy: (date: string) => string;
  timelineHeading: string;
  estimateApprovedEvent: string;
  estimateDeclinedEvent: string;
  estimateHeading: string;
  noEstimate: string;
  parts: string;
  labor: string;
  total: string;
  covered: string;
  youPay: string;
  askApproval: (amount: string) => string;
  approve: string;
  decline: string;
  approvedOn: (date: string) => string;
  approvedNow: string;
  declinedNow: string;
  declinedState: string;
  changedMeanwhile: string;
  backToProduct: string;
  statuses: Record<RepairStatus, string>;

  surveyTitle: string;
  csatHint: string;
  npsHint: string;
  commentLabel: string;
  commentHint: string;
  thanksTitle: string;
  thanksBody: string;
  alreadyAnsweredBody: string;
  scoreInvalid: (min: number, max: number) => string;
  commentTooLong: string;
  commentInvalid: string;

  unsubscribeTitle: string;
  unsubscribeQuestion: (sender: string) => string;
  unsubscribeButton: string;
  unsubscribedBody: (sender: string) => string;
  managePreferences: string;
  preferencesTitle: string;
  subscribedState: (sender: string) => string;
  unsubscribedState: (sender: string) => string;
  resubscribeButton: string;
  resubscribedBody: (sender: string) => string;
}

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The form of a count in a language (Russian has one, few and many); `#` stands for the number. */
export function plural(lang: string, n: number, forms: PluralForms): string {
  const form = forms[new Intl.PluralRules(lang).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(lang).format(n));
}
