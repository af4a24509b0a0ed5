import type { SurveyScale } from './outreach.rules.js';

/** How many answers gave each score. */
export interface ScoreCount {
  score: number;
  count: number;
}

export interface SurveyStats {
  responses: number;
  /** CSAT: the mean score; NPS: null. */
  averageScore: number | null;
  /** NPS: % promoters (9–10) minus % detractors (0–6); CSAT: null. */
  netPromoterScore: number | null;
}

/**
 * A survey's figures from its answers (docs/outreach.md), each to one decimal, halves away from
 * zero: CSAT the mean score; NPS the percentage of promoters (9–10) minus that of detractors
 * (0–6). With no answer there is no figure (null), not a zero that would read as a verdict.
 */
export function surveyStats(scale: SurveyScale | null, counts: readonly ScoreCount[]): SurveyStats {
  const responses = counts.reduce((sum, c) => sum + c.count, 0);
  if (responses === 0 || scale === null) return { responses, averageScore: null, netPromoterScore: null };
  if (scale === 'CSAT') {
    const total = counts.reduce((sum, c) => sum + c.score * c.count, 0);
    return { responses, averageScore: oneDecimal(total, responses), netPromoterScore: null };
  }
  const promoters = counts.filter((c) => c.score >= 9).reduce((sum, c) => sum + c.count, 0);
  const detractors = counts.filter((c) => c.score <= 6).reduce((sum, c) => sum + c.count, 0);
  return { responses, averageScore: null, netPromoterScore: oneDecimal((promoters - detractors) * 100, responses) };
}

/**
 * numerator / denominator to one decimal, a half rounded away from zero. The tenths are one
 * integer division: a true half (x.x5) is exact in floating point, so it is never misread.
 */
function oneDecimal(numerator: number, denominator: number): number {
  const tenths = (Math.abs(numerator) * 10) / denominator;
  return (Math.sign(numerator) * Math.round(tenths)) / 10;
}
