import { planningWindow } from './planning-window.js';

describe('planningWindow', () => {
  it('starts on the day the journey became active: no back-fill', () => {
    expect(planningWindow({ activeSince: '2025-03-10', plannedThrough: null }, '2025-03-10')).toEqual({
      from: '2025-03-10',
      to: '2025-03-10',
    });
  });

  it('plans again the day it was planned through (today keeps receiving events), up to today', () => {
    expect(planningWindow({ activeSince: '2025-03-01', plannedThrough: '2025-03-10' }, '2025-03-10')).toEqual({
      from: '2025-03-10',
      to: '2025-03-10',
    });
    expect(planningWindow({ activeSince: '2025-03-01', plannedThrough: '2025-03-10' }, '2025-03-12')).toEqual({
      from: '2025-03-10',
      to: '2025-03-12',
    });
  });

  it('catches up at most 7 days after a downtime', () => {
    expect(planningWindow({ activeSince: '2025-01-01', plannedThrough: '2025-03-01' }, '2025-03-20')).toEqual({
      from: '2025-03-13',
      to: '2025-03-20',
    });
  });

  it('a re-activated journey starts again on its new activeSince, whatever it planned before', () => {
    expect(planningWindow({ activeSince: '2025-03-15', plannedThrough: '2025-02-01' }, '2025-03-16')).toEqual({
      from: '2025-03-15',
      to: '2025-03-16',
    });
  });

  it('nothing before a journey starts', () => {
    expect(planningWindow({ activeSince: '2025-03-15', plannedThrough: null }, '2025-03-14')).toBeNull();
  });

  it('crosses a year end', () => {
    expect(planningWindow({ activeSince: '2024-12-01', plannedThrough: '2024-12-30' }, '2025-01-02')).toEqual({
      from: '2024-12-30',
      to: '2025-01-02',
    });
  });
});
