import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isCalendarDate } from '../dates/calendar-date.js';

@ValidatorConstraint({ name: 'isCalendarDate' })
export class IsCalendarDateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return isCalendarDate(value);
  }
  defaultMessage() {
    return '$property must be a calendar date like "2026-11-22"';
  }
}
