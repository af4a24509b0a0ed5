import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { isCalendarDate } from '../dates/calendar-date.js';
import { DATE_TIME_EXAMPLE, parseInstant } from '../dates/instant.js';
import { isDecimalText } from '../money/money.js';

function inputError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A calendar date, "2026-11-22". */
@Scalar('Date', () => DateScalarType)
export class DateScalarType implements CustomScalar<string, string> {
  description = 'A calendar date in ISO 8601 form, e.g. "2026-11-22" (UTC).';
  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value);
  }
  parseValue(value: unknown): string {
    if (!isCalendarDate(value))
      throw inputError(`Expected a calendar date like "2026-11-22", got ${JSON.stringify(value)}.`);
    return value;
  }
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw inputError('Expected a calendar date string like "2026-11-22".');
    return this.parseValue(ast.value);
  }
}

/** A decimal number written as a string, "169.99": money never passes through a float. */
@Scalar('Decimal', () => DecimalScalarType)
export class DecimalScalarType implements CustomScalar<string, string> {
  description = 'A decimal number as a string, e.g. "169.99".';
  serialize(value: unknown): string {
    return String(value);
  }
  parseValue(value: unknown): string {
    // integers are exact in JSON, so they are accepted as well as strings
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (!isDecimalText(text))
      throw inputError(`Expected a decimal string like "169.99", got ${JSON.stringify(value)}.`);
    return text;
  }
  parseLiteral(ast: ValueNode): string {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT)
      return this.parseValue(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
    throw inputError('Expected a decimal string like "169.99".');
  }
}

/** Arbitrary JSON, for event data. Output only in practice. */
@Scalar('JSON', () => JsonScalarType)
export class JsonScalarType implements CustomScalar<unknown, unknown> {
  description = 'Any JSON value.';
  serialize(value: unknown): unknown {
    return value;
  }
  parseValue(value: unknown): unknown {
    return value;
  }
  parseLiteral(): unknown {
    throw inputError('JSON literals are not accepted as input.');
  }
}

function parseDateTime(value: unknown): Date {
  const instant = parseInstant(value);
  if (!instant)
    throw inputError(
      `Expected a date-time such as "${DATE_TIME_EXAMPLE}" (a real date, years 1900 to 9999), got ${JSON.stringify(value)}.`,
    );
  return instant;
}

/**
 * The schema's DateTime scalar (Nest's GraphQLISODateTime, which output types name directly)
 * reads input as `new Date(text)`: 2027-02-30 would become 2 March and any year would pass.
 * Inputs are read strictly instead; output is unchanged. Called once on the built schema.
 */
export function strictDateTimeInput(schema: GraphQLSchema): GraphQLSchema {
  const type = schema.getType('DateTime');
  if (type instanceof GraphQLScalarType) {
    type.parseValue = parseDateTime;
    type.parseLiteral = (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw inputError(`Expected a date-time string such as "${DATE_TIME_EXAMPLE}".`);
      return parseDateTime(ast.value);
    };
  }
  return schema;
}
