import { Matches } from 'class-validator';

/** A name must say something: "" and "   " are refused, naming the field. */
export const NotBlank = () => Matches(/\S/, { message: '$property must not be blank' });
