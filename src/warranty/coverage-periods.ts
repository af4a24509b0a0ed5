import {
  addDays,
  daysBetween,
  endOfMonthsPeriod,
  toCalendarDate,
  type CalendarDate,
} from '../common/dates/calendar-date.js';
import type { WarrantyTerms } from '../products/warranty-terms.js';

/** The facts of a unit that its coverage periods depend on. */
export interface UnitDates {
  purchaseDate: CalendarDate;
  deliveryDate: CalendarDate | null;
  registeredAt: Date;
}

interface Period {
  startsAt: CalendarDate;
  endsAt: CalendarDate;
}

/** The day the base warranty starts: purchase, delivery (purchase when none) or registration. */
export function baseWarrantyStart(unit: UnitDates, terms: Pick<WarrantyTerms, 'startsFrom'>): CalendarDate {
  switch (terms.startsFrom) {
    case 'DELIVERY_DATE':
      return unit.deliveryDate ?? unit.purchaseDate;
    case 'REGISTRATION_DATE':
      return toCalendarDate(unit.registeredAt);
    default:
      return unit.purchaseDate;
  }
}

/** M months from S ends on (S + M months) − 1 day, inclusive. */
export function baseWarrantyPeriod(
  unit: UnitDates,
  terms: Pick<WarrantyTerms, 'startsFrom' | 'durationMonths'>,
): Period {
  const startsAt = baseWarrantyStart(unit, terms);
  return { startsAt, endsAt: endOfMonthsPeriod(startsAt, terms.durationMonths) };
}

/** False when registration was required within N days of purchase and came later. */
export function registeredInTime(
  unit: UnitDates,
  terms: Pick<WarrantyTerms, 'registrationRequiredWithinDays'>,
): boolean {
  if (terms.registrationRequiredWithinDays === null || terms.registrationRequiredWithinDays === undefined) return true;
  return daysBetween(unit.purchaseDate, toCalendarDate(unit.registeredAt)) <= terms.registrationRequiredWithinDays;
}

/** A service plan starts the day after the base warranty ends, or on its own purchase date. */
export function servicePlanPeriod(
  unit: UnitDates,
  terms: Pick<WarrantyTerms, 'startsFrom' | 'durationMonths'>,
  plan: { startsAfterBaseWarranty: boolean; durationMonths: number },
  purchasedAt: CalendarDate,
): Period {
  const startsAt = plan.startsAfterBaseWarranty ? addDays(baseWarrantyPeriod(unit, terms).endsAt, 1) : purchasedAt;
  return { startsAt, endsAt: endOfMonthsPeriod(startsAt, plan.durationMonths) };
}
