import { variableErrorField } from './graphql.config.js';

describe('variableErrorField: the field of a variable the schema refused', () => {
  it.each([
    [
      'a field of an input object, relative to it',
      'Variable "$input" got invalid value "2027-02-30T00:00:00Z" at "input.expiresAt"; Expected a date-time.',
      'expiresAt',
    ],
    [
      'a list element',
      'Variable "$input" got invalid value "x" at "input.lines[0].quantity"; Expected a decimal.',
      'lines.0.quantity',
    ],
    ['the whole variable', 'Variable "$id" got invalid value 5; ID cannot represent value: 5', 'id'],
    [
      'a value that itself holds " at "',
      'Variable "$input" got invalid value { note: " at \\"x\\"; " } at "input.note"; Expected String.',
      'note',
    ],
  ])('%s', (_what, message, field) => {
    expect(variableErrorField(message)).toBe(field);
  });

  it('is null for any other message', () => {
    expect(variableErrorField('Cannot query field "x" on type "Query".')).toBeNull();
  });
});
