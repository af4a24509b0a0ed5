import { surveyStats } from './survey-stats.js';

const counts = (scores: Record<number, number>) =>
  Object.entries(scores).map(([score, count]) => ({ score: Number(score), count }));

describe('surveyStats', () => {
  it('gives no figure without an answer', () => {
    expect(surveyStats('CSAT', [])).toEqual({ responses: 0, averageScore: null, netPromoterScore: null });
    expect(surveyStats('NPS', [])).toEqual({ responses: 0, averageScore: null, netPromoterScore: null });
  });

  it('CSAT: the mean score, to one decimal, no NPS', () => {
    // 5 + 4 + 4 = 13 / 3 = 4.333…
    expect(surveyStats('CSAT', counts({ 5: 1, 4: 2 }))).toEqual({
      responses: 3,
      averageScore: 4.3,
      netPromoterScore: null,
    });
    // 4.25 → 4.3: a half goes up
    expect(surveyStats('CSAT', counts({ 5: 1, 4: 3 })).averageScore).toBe(4.3);
    // 1 + 2 = 3 / 2 = 1.5
    expect(surveyStats('CSAT', counts({ 1: 1, 2: 1 })).averageScore).toBe(1.5);
    // 1 + 1 + 2 = 4 / 3 = 1.333…
    expect(surveyStats('CSAT', counts({ 1: 2, 2: 1 })).averageScore).toBe(1.3);
  });

  it('NPS: % of 9–10 minus % of 0–6, passives (7–8) counted in the total only', () => {
    // 3 promoters, 2 passives, 1 detractor of 6: 50 % − 16.67 % = 33.3
    expect(surveyStats('NPS', counts({ 10: 2, 9: 1, 8: 1, 7: 1, 6: 1 }))).toEqual({
      responses: 6,
      averageScore: null,
      netPromoterScore: 33.3,
    });
    expect(surveyStats('NPS', counts({ 10: 4 })).netPromoterScore).toBe(100);
    expect(surveyStats('NPS', counts({ 0: 1, 6: 1 })).netPromoterScore).toBe(-100);
    expect(surveyStats('NPS', counts({ 7: 1, 8: 1 })).netPromoterScore).toBe(0);
  });

  it('NPS: a half is rounded away from zero, on both sides', () => {
    // 1 detractor of 8: −12.5 (exact); 1 of 80: −1.25 → −1.3; 1 promoter of 80: 1.25 → 1.3
    expect(surveyStats('NPS', counts({ 0: 1, 7: 7 })).netPromoterScore).toBe(-12.5);
    expect(surveyStats('NPS', counts({ 0: 1, 7: 79 })).netPromoterScore).toBe(-1.3);
    expect(surveyStats('NPS', counts({ 10: 1, 7: 79 })).netPromoterScore).toBe(1.3);
  });
});
