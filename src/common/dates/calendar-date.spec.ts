import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  daysInMonth,
  endOfMonthsPeriod,
  isCalendarDate,
  maxDate,
  toCalendarDate,
  today,
} from './calendar-date.js';

describe('isCalendarDate', () => {
  it.each([
    ['29 February exists in a leap year divisible by 4', '2024-02-29'],
    ['29 February exists in a century leap year divisible by 400', '2000-02-29'],
    ['31 December is a date', '2026-12-31'],
    ['1 January is a date', '2026-01-01'],
    ['30 April is a date', '2026-04-30'],
  ])('%s (%s is valid)', (_rule, value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    ['29 February does not exist in a common year', '2023-02-29'],
    ['29 February does not exist in a century year not divisible by 400', '2100-02-29'],
    ['30 February never exists', '2024-02-30'],
    ['31 April does not exist', '2026-04-31'],
    ['month 13 does not exist', '2026-13-01'],
    ['month 00 does not exist', '2026-00-10'],
    ['day 00 does not exist', '2026-01-00'],
    ['month and day must have two digits', '2026-1-1'],
    ['the year must have four digits', '26-01-01'],
    ['a timestamp is not a calendar date', '2026-01-01T00:00:00Z'],
    ['surrounding spaces are refused', ' 2026-01-01'],
    ['a trailing newline is refused', '2026-01-01\n'],
    ['slashes are not the ISO form', '2026/01/01'],
    ['the empty string is not a date', ''],
  ])('%s (%j is invalid)', (_rule, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it.each([
    ['a number', 20260101],
    ['a Date object', new Date('2026-01-01T00:00:00Z')],
    ['null', null],
    ['undefined', undefined],
  ])('a non-string value (%s) is not a calendar date', (_what, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('daysInMonth', () => {
  it.each([
    ['February has 29 days in 2024', 2024, 2, 29],
    ['February has 28 days in 2023', 2023, 2, 28],
    ['February has 28 days in 2100', 2100, 2, 28],
    ['February has 29 days in 2000', 2000, 2, 29],
    ['April has 30 days', 2026, 4, 30],
    ['December has 31 days', 2026, 12, 31],
  ])('%s', (_rule, year, month, expected) => {
    expect(daysInMonth(year, month)).toBe(expected);
  });
});

describe('addMonths: calendar months, clamped to the last day of the month', () => {
  it.each([
    ['31 January plus one month is 29 February in a leap year', '2024-01-31', 1, '2024-02-29'],
    ['31 January plus one month is 28 February in a common year', '2023-01-31', 1, '2023-02-28'],
    ['29 February plus twelve months is 28 February of the next (common) year', '2024-02-29', 12, '2025-02-28'],
    ['29 February plus forty-eight months is 29 February four years later', '2024-02-29', 48, '2028-02-29'],
    ['31 March minus one month is 29 February in a leap year', '2024-03-31', -1, '2024-02-29'],
    ['31 May plus one month is 30 June', '2026-05-31', 1, '2026-06-30'],
    ['plus zero months is the same date', '2024-01-31', 0, '2024-01-31'],
    ['a mid-month day keeps its day number', '2024-01-15', 1, '2024-02-15'],
    ['plus months crosses the year end', '2024-11-30', 3, '2025-02-28'],
    ['December plus one month is January of the next year', '2024-12-15', 1, '2025-01-15'],
    ['January minus one month is December of the previous year', '2024-01-15', -1, '2023-12-15'],
    ['minus thirteen months goes back across two year ends', '2024-01-31', -13, '2022-12-31'],
    ['minus twenty-four months from 29 February clamps to 28 February', '2024-02-29', -24, '2022-02-28'],
    ['minus forty-eight months from 29 February lands on 29 February', '2024-02-29', -48, '2020-02-29'],
    ['plus 120 months is ten years later', '2024-06-30', 120, '2034-06-30'],
  ])('%s (%s + %i months = %s)', (_rule, date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('does not carry the clamped day into the next step: (31 Jan + 1) + 1 is 29 March, not 31 March', () => {
    expect(addMonths(addMonths('2024-01-31', 1), 1)).toBe('2024-03-29');
    expect(addMonths('2024-01-31', 2)).toBe('2024-03-31');
  });

  it('refuses a value that is not a calendar date', () => {
    expect(() => addMonths('2024-1-31', 1)).toThrow(/not a calendar date/);
  });
});

describe('endOfMonthsPeriod: a coverage of M months from S ends on (S + M months) - 1 day, inclusive', () => {
  it.each([
    ['24 months from 31 January 2024 end on 30 January 2026', '2024-01-31', 24, '2026-01-30'],
    ['12 months from 29 February 2024 end on 27 February 2025 (28 Feb minus one day)', '2024-02-29', 12, '2025-02-27'],
    ['12 months from 1 January end on 31 December of the same year', '2024-01-01', 12, '2024-12-31'],
    ['1 month from 31 January 2024 ends on 28 February 2024 (29 Feb minus one day)', '2024-01-31', 1, '2024-02-28'],
    ['1 month from 1 February 2024 ends on 29 February 2024', '2024-02-01', 1, '2024-02-29'],
    ['1 month from 1 February 2023 ends on 28 February 2023', '2023-02-01', 1, '2023-02-28'],
    ['12 months from 1 March 2023 end on 29 February 2024', '2023-03-01', 12, '2024-02-29'],
    ['36 months from 15 June 2024 end on 14 June 2027', '2024-06-15', 36, '2027-06-14'],
    ['12 months from 31 December end on 30 December of the next year', '2024-12-31', 12, '2025-12-30'],
    ['zero months end the day before they start (an empty period)', '2024-05-10', 0, '2024-05-09'],
  ])('%s', (_rule, start, months, expected) => {
    expect(endOfMonthsPeriod(start, months)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    ['one day after 31 December is 1 January of the next year', '2024-12-31', 1, '2025-01-01'],
    ['one day before 1 January is 31 December of the previous year', '2025-01-01', -1, '2024-12-31'],
    ['one day after 28 February is 29 February in a leap year', '2024-02-28', 1, '2024-02-29'],
    ['one day after 28 February is 1 March in a common year', '2023-02-28', 1, '2023-03-01'],
    ['one day after 28 February 2100 is 1 March (2100 is not a leap year)', '2100-02-28', 1, '2100-03-01'],
    ['one day before 1 March is 29 February in a leap year', '2024-03-01', -1, '2024-02-29'],
    ['one day after 30 April is 1 May', '2026-04-30', 1, '2026-05-01'],
    ['366 days after 1 January 2024 is 1 January 2025', '2024-01-01', 366, '2025-01-01'],
    ['89 days after a hand-over date crosses month ends', '2026-11-20', 89, '2027-02-17'],
    ['plus zero days is the same date', '2026-03-29', 0, '2026-03-29'],
    ['days are counted in UTC, so a European DST change is an ordinary day', '2026-03-28', 2, '2026-03-30'],
  ])('%s', (_rule, date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('daysBetween', () => {
  it.each([
    ['the same date is zero days apart', '2024-05-10', '2024-05-10', 0],
    ['a leap year has 366 days', '2024-01-01', '2025-01-01', 366],
    ['a common year has 365 days', '2023-01-01', '2024-01-01', 365],
    ['28 February to 1 March is two days in a leap year', '2024-02-28', '2024-03-01', 2],
    ['28 February to 1 March is one day in a common year', '2023-02-28', '2023-03-01', 1],
    ['an earlier second date gives a negative count', '2024-03-01', '2024-02-28', -2],
    ['31 December to 1 January is one day', '2024-12-31', '2025-01-01', 1],
    ['days are whole across a DST change (counted in UTC)', '2026-03-28', '2026-03-30', 2],
  ])('%s', (_rule, from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('is the inverse of addDays', () => {
    for (const days of [-400, -31, -1, 0, 1, 29, 59, 365, 366, 1000]) {
      expect(daysBetween('2024-02-29', addDays('2024-02-29', days))).toBe(days);
    }
  });
});

describe('toCalendarDate: the UTC date of an instant', () => {
  it.each([
    ['the last millisecond of a UTC day is still that day', '2024-12-31T23:59:59.999Z', '2024-12-31'],
    ['UTC midnight starts the next day', '2025-01-01T00:00:00.000Z', '2025-01-01'],
    ['00:30 in UTC+01:00 is still the previous UTC day', '2024-03-01T00:30:00+01:00', '2024-02-29'],
    ['23:30 in UTC-05:00 is already the next UTC day', '2024-03-31T23:30:00-05:00', '2024-04-01'],
    ['a leap day instant is 29 February', '2024-02-29T12:00:00Z', '2024-02-29'],
  ])('%s', (_rule, instant, expected) => {
    expect(toCalendarDate(new Date(instant))).toBe(expected);
  });

  it('today is the UTC date of "now"', () => {
    expect(today(new Date('2026-11-22T23:59:59Z'))).toBe('2026-11-22');
    expect(today(new Date('2026-11-23T00:00:00+02:00'))).toBe('2026-11-22');
    expect(isCalendarDate(today())).toBe(true);
  });
});

describe('comparing dates', () => {
  it('compareDates orders ISO dates chronologically', () => {
    expect(compareDates('2024-02-29', '2024-03-01')).toBe(-1);
    expect(compareDates('2025-01-01', '2024-12-31')).toBe(1);
    expect(compareDates('2024-02-29', '2024-02-29')).toBe(0);
  });

  it('maxDate is the later of two dates', () => {
    expect(maxDate('2024-02-29', '2024-03-01')).toBe('2024-03-01');
    expect(maxDate('2025-01-01', '2024-12-31')).toBe('2025-01-01');
  });
});
