import { addDays, maxDate, type CalendarDate } from '../../common/dates/calendar-date.js';

/** Occasions missed while no server ran are caught up this many days late, no more (docs/outreach.md). */
export const CATCH_UP_DAYS = 7;

/**
 * The occasion days a journey plans today, inclusive: from the latest of the day it became active
 * (no back-fill), today − CATCH_UP_DAYS and the day it was last planned through — that day again,
 * since today's events (a repair closed, a unit registered) keep arriving — to today. Null when
 * the journey starts after today.
 */
export function planningWindow(
  journey: { activeSince: CalendarDate; plannedThrough: CalendarDate | null },
  today: CalendarDate,
): { from: CalendarDate; to: CalendarDate } | null {
  const from = [addDays(today, -CATCH_UP_DAYS), journey.plannedThrough ?? journey.activeSince].reduce(
    maxDate,
    journey.activeSince,
  );
  return from <= today ? { from, to: today } : null;
}
