import { isCalendarDate } from './calendar-date.js';

/**
 * Instants (GraphQL DateTime, REST date-time) in RFC 3339 form, "2027-01-31T09:30:00Z" or with an
 * offset, read strictly: JavaScript's Date would take 2027-02-30 as 2 March, and years beyond
 * what PostgreSQL stores. The date part follows the calendar-date rules (years 1900 to 9999).
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The instant a date-time text names, or null when it is not a real one. */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, date, hh, mm, ss, fraction, zone, sign, offH, offM] = match;
  const [hours, minutes, seconds] = [Number(hh), Number(mm), Number(ss)];
  if (!isCalendarDate(date) || hours > 23 || minutes > 59 || seconds > 59) return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    if (Number(offH) > 23 || Number(offM) > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM));
  }
  const [y, m, d] = date.split('-').map(Number);
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  return new Date(Date.UTC(y, m - 1, d, hours, minutes, seconds, millis) - offsetMinutes * 60_000);
}

export const DATE_TIME_EXAMPLE = '2027-01-31T09:30:00Z';
