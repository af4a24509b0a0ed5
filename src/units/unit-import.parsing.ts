import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'csv-parse';
import { badInput } from '../common/errors/domain-error.js';
import { findTextProblem } from '../common/http/input-text.js';
import { parseJsonWithoutPrototypes } from '../common/http/safe-json.js';
import { MoneyInput } from '../common/money/money.types.js';
import { CustomerInput, RegisterUnitInput } from './unit.inputs.js';

export type ImportFormat = 'ndjson' | 'csv';

/** One input row: its 1-based number and the object it holds, or why it could not be read (and the field, when known). */
export type ParsedRow =
  { row: number; value: Record<string, unknown> } | { row: number; error: string; field?: string };

export function importFormat(contentType: string | undefined): ImportFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  if (type === 'text/csv') return 'csv';
  return null;
}

/** The properties a class validates, read from its decorators, so the list follows the input class. */
function inputFields(target: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** The nested objects of a row, each with its own input class. */
const NESTED_INPUTS: Record<string, new () => object> = { customer: CustomerInput, purchasePrice: MoneyInput };

/**
 * The fields a row may hold, as dotted paths: RegisterUnitInput's own fields and those of its
 * nested customer and purchasePrice. Anything else (a typo, or "__proto__.x") is refused by name.
 */
export const IMPORT_FIELDS: ReadonlySet<string> = new Set(
  inputFields(RegisterUnitInput).flatMap((field) => {
    const nested = Object.hasOwn(NESTED_INPUTS, field) ? NESTED_INPUTS[field] : undefined;
    return nested ? inputFields(nested).map((inner) => `${field}.${inner}`) : [field];
  }),
);

const BOOLEAN_FIELDS = new Set(['customer.marketingConsent']);

/** The first field of a parsed NDJSON row that is not an import field, as a dotted path; null when all are known. */
export function unknownField(value: Record<string, unknown>): string | null {
  for (const [key, inner] of Object.entries(value)) {
    const nested = Object.hasOwn(NESTED_INPUTS, key);
    if (nested && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const unknown = Object.keys(inner).find((innerKey) => !IMPORT_FIELDS.has(`${key}.${innerKey}`));
      if (unknown !== undefined) return `${key}.${unknown}`;
    } else if (!nested && !IMPORT_FIELDS.has(key)) {
      return key;
    }
  }
  return null;
}

/**
 * The header row of a CSV import, checked before any row is read: every column must name an
 * import field, once. A file with a wrong header is refused whole, naming the column.
 */
export function checkCsvHeader(header: string[]): string[] {
  const columns = header.map((column) => column.trim());
  const seen = new Set<string>();
  for (const column of columns) {
    if (!IMPORT_FIELDS.has(column)) {
      throw badInput(
        column || 'header',
        `Unknown column "${column}": columns are the fields of RegisterUnitInput (${[...IMPORT_FIELDS].join(', ')}).`,
      );
    }
    if (seen.has(column)) throw badInput(column, `Column "${column}" appears twice in the header.`);
    seen.add(column);
  }
  return columns;
}

/**
 * One CSV record as an input object: columns are checked import fields (dotted for nested ones),
 * empty cells are absent. The objects have no prototype, so no column name can reach one.
 */
export function csvRecordToInput(columns: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = Object.create(null);
  columns.forEach((column, i) => {
    const cell = (cells[i] ?? '').trim();
    if (cell === '') return;
    const [head, leaf] = column.split('.');
    const value = BOOLEAN_FIELDS.has(column) ? /^(true|yes|1)$/i.test(cell) : cell;
    if (leaf === undefined) {
      input[head] = value;
      return;
    }
    const nested = (input[head] ??= Object.create(null)) as Record<string, unknown>;
    nested[leaf] = value;
  });
  return input;
}

/**
 * The row, or its error when some text in it breaks the rule every input follows (see
 * common/http/validation.ts): NUL or a lone surrogate fails the row, not the import. `mayHoldBadText`
 * false skips the walk for a row whose source text cannot hold such characters.
 */
function textChecked(row: number, value: Record<string, unknown>, mayHoldBadText: boolean): ParsedRow {
  const problem = mayHoldBadText ? findTextProblem(value) : null;
  return problem ? { row, field: problem.field, error: `${problem.field} ${problem.message}` } : { row, value };
}

/**
 * The rows of an NDJSON or CSV stream, one at a time: memory holds one row, not the file. A row's
 * text has passed the rule of every input (textChecked).
 */
export async function* parseRows(body: Readable, format: ImportFormat): AsyncGenerator<ParsedRow> {
  let row = 0;
  if (format === 'ndjson') {
    for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      row++;
      let value: unknown;
      try {
        value = parseJsonWithoutPrototypes(line);
      } catch {
        yield { row, error: 'The line is not valid JSON.' };
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        yield { row, error: 'The line is not a JSON object.' };
        continue;
      }
      const unknown = unknownField(value as Record<string, unknown>);
      if (unknown !== null)
        yield {
          row,
          field: unknown,
          error: `Unknown field "${unknown}": a row holds the fields of RegisterUnitInput.`,
        };
      // only a \u escape gives a JSON line's text a NUL or a lone surrogate: a raw control character is not
      // valid JSON, and text decoded from UTF-8 has no lone surrogates
      else yield textChecked(row, value as Record<string, unknown>, line.includes('\\u'));
    }
    return;
  }
  // A malformed record (stray quote, wrong number of cells) is skipped by the parser and reported
  // in its place: the parser may report it before we have taken the good records before it, so
  // it is placed by the number of good records (the header included) it had read when it failed.
  const skipped: { afterGoodRecords: number; message: string }[] = [];
  const parser = body.pipe(
    parse({ columns: false, bom: true, skip_empty_lines: true, skip_records_with_error: true, trim: false }),
  );
  parser.on('skip', (error: Error & { records?: number }) =>
    skipped.push({ afterGoodRecords: error.records ?? 0, message: error.message }),
  );
  let good = 0;
  let columns: string[] | null = null;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!columns) {
      good++;
      try {
        columns = checkCsvHeader(record);
      } catch (error) {
        body.resume(); // the answer is the header's error: the rest is not read
        throw error;
      }
      continue;
    }
    while (skipped.length && skipped[0].afterGoodRecords <= good)
      yield { row: ++row, error: `The CSV record is malformed: ${skipped.shift()!.message}` };
    good++;
    yield textChecked(++row, csvRecordToInput(columns, record), true);
  }
  while (skipped.length) yield { row: ++row, error: `The CSV record is malformed: ${skipped.shift()!.message}` };
}
