import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { MoneyType } from '../money/money.types.js';

/**
 * Property decorators of the response views (the *.views.ts classes): one declaration is both the
 * TypeScript type the view functions return and the OpenAPI schema REST clients are generated from.
 * Every property is required in the JSON (views always send every field, null when empty).
 */
interface Extra {
  nullable?: boolean;
  description?: string;
  example?: unknown;
  required?: boolean;
}

export const EXAMPLE_ID = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51';

export const ApiId = (extra: Extra = {}) =>
  ApiProperty({ type: String, format: 'uuid', example: EXAMPLE_ID, ...extra });

export const ApiIds = (extra: Extra = {}) =>
  ApiProperty({ type: String, format: 'uuid', isArray: true, example: [EXAMPLE_ID], ...extra });

/** An instant, sent as ISO 8601 text. */
export const ApiDateTime = (extra: Extra = {}) =>
  ApiProperty({ type: String, format: 'date-time', example: '2026-03-14T09:30:00.000Z', ...extra });

/** A calendar date (YYYY-MM-DD), as the API takes and sends them. */
export const ApiDay = (extra: Extra = {}) =>
  ApiProperty({ type: String, format: 'date', example: '2026-03-14', ...extra });

export const ApiText = (example: string, extra: Extra = {}) => ApiProperty({ type: String, example, ...extra });

export const ApiInt = (example: number, extra: Extra & { minimum?: number } = {}) =>
  ApiProperty({ type: 'integer', example, ...extra });

export const ApiBool = (example: boolean, extra: Extra = {}) => ApiProperty({ type: Boolean, example, ...extra });

export const ApiMoney = (extra: Extra = {}) => ApiProperty({ type: () => MoneyType, ...extra });

/**
 * A property of one of the API's enums, named as GraphQL names it, so both APIs share the enum
 * and OpenAPI declares it once (components.schemas.<enumName>).
 */
export const ApiEnum = (
  values: Record<string, string> | readonly string[],
  enumName: string,
  extra: Extra & { isArray?: boolean } = {},
) => ApiProperty({ enum: values as Record<string, string> | string[], enumName, ...extra });

/** A nested view (or a list of them). */
export const ApiNested = (nested: () => Type<unknown>, extra: Extra & { isArray?: boolean } = {}) =>
  // written as `type: () => …`: @nestjs/swagger knows a lazy type by the function's name, "type"
  ApiProperty({ type: () => nested(), ...extra } as ApiPropertyOptions);

/** A property whose JSON is free-form (an event's data): an object of any fields. */
export const ApiObject = (description: string, extra: Omit<Extra, 'required'> = {}) =>
  ApiProperty({ type: 'object', additionalProperties: true, description, ...extra });
