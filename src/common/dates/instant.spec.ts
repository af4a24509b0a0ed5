import { parseInstant } from './instant.js';

describe('parseInstant: RFC 3339 date-times, read strictly', () => {
  it.each([
    ['UTC with Z', '2027-01-31T09:30:00Z', '2027-01-31T09:30:00.000Z'],
    ['milliseconds', '2028-02-29T12:00:00.250Z', '2028-02-29T12:00:00.250Z'],
    ['nanoseconds are cut to milliseconds', '2027-01-01T00:00:00.123456789Z', '2027-01-01T00:00:00.123Z'],
    ['a negative offset moves the instant later', '2027-02-28T23:30:00-02:00', '2027-03-01T01:30:00.000Z'],
    ['a positive offset moves it earlier', '2027-01-01T01:00:00+05:30', '2026-12-31T19:30:00.000Z'],
    ['lower-case t and z', '2027-01-01t00:00:00z', '2027-01-01T00:00:00.000Z'],
  ])('%s: %s is %s', (_what, text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['30 February', '2027-02-30T00:00:00Z'],
    ['29 February of a common year', '2027-02-29T00:00:00Z'],
    ['month 13', '2027-13-01T00:00:00Z'],
    ['hour 24', '2027-01-01T24:00:00Z'],
    ['a leap second', '2027-01-01T23:59:60Z'],
    ['an offset of 24 hours', '2027-01-01T00:00:00+24:00'],
    ['no zone', '2027-01-01T10:00:00'],
    ['no seconds', '2027-01-01T10:00Z'],
    ['a date alone', '2027-01-01'],
    ['a six-digit year', '275760-01-01T00:00:00Z'],
    ['an expanded year', '+010000-01-01T00:00:00Z'],
    ['a year before 1900', '1899-12-31T23:59:59Z'],
    ['spaces around', ' 2027-01-01T00:00:00Z'],
    ['a number', 1798761600000],
    ['a Date', new Date()],
  ])('refuses %s (%j)', (_what, value) => {
    expect(parseInstant(value)).toBeNull();
  });
});
