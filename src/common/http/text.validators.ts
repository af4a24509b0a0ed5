import { Matches, type ValidationOptions } from 'class-validator';

/** A name must say something: "" and "   " are refused, naming the field. */
export const NotBlank = () => Matches(/\S/, { message: '$property must not be blank' });

/**
 * Identifiers (serial numbers, SKUs, part numbers, tracking numbers, other codes) are compared
 * and shown: control characters, zero-width and bidirectional formatting characters (Unicode Cf),
 * and line or paragraph separators would let two codes look alike and differ, so they are refused.
 */
const INVISIBLE_OR_CONTROL = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

export const IsCode = (options: ValidationOptions = {}) =>
  Matches(INVISIBLE_OR_CONTROL, {
    message: '$property must not contain control, zero-width or bidirectional formatting characters',
    ...options,
  });
