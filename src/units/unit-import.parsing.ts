import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';

export type ImportFormat = 'ndjson' | 'csv';

/** One input row: its 1-based number and the object it holds, or why it could not be read. */
export type ParsedRow = { row: number; value: Record<string, unknown> } | { row: number; error: string };

export function importFormat(contentType: string | undefined): ImportFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  if (type === 'text/csv') return 'csv';
  return null;
}

/** CSV columns name fields as dotted paths ("customer.name", "purchasePrice.amount"); empty cells are absent. */
export function csvRecordToInput(record: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(record)) {
    const cell = raw.trim();
    if (cell === '') continue;
    const path = column.trim().split('.');
    let target = input;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    const leaf = path[path.length - 1];
    target[leaf] = leaf === 'marketingConsent' ? /^(true|yes|1)$/i.test(cell) : cell;
  }
  return input;
}

/** The rows of an NDJSON or CSV stream, one at a time: memory holds one row, not the file. */
export async function* parseRows(body: Readable, format: ImportFormat): AsyncGenerator<ParsedRow> {
  let row = 0;
  if (format === 'ndjson') {
    for await (const line of createInterface({ input: body, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      row++;
      try {
        const value = JSON.parse(line);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { row, error: 'The line is not a JSON object.' };
        else yield { row, value };
      } catch {
        yield { row, error: 'The line is not valid JSON.' };
      }
    }
    return;
  }
  // A malformed record (stray quote, wrong number of cells) is skipped by the parser and reported
  // in its place: the parser may report it before we have taken the good records before it, so
  // it is placed by the number of good records the parser had read when it failed.
  const skipped: { afterGoodRecords: number; message: string }[] = [];
  const parser = body.pipe(parse({ columns: true, bom: true, skip_empty_lines: true, skip_records_with_error: true, trim: false }));
  parser.on('skip', (error: Error & { records?: number }) => skipped.push({ afterGoodRecords: error.records ?? 0, message: error.message }));
  let good = 0;
  for await (const record of parser) {
    while (skipped.length && skipped[0].afterGoodRecords <= good) yield { row: ++row, error: `The CSV record is malformed: ${skipped.shift()!.message}` };
    good++;
    yield { row: ++row, value: csvRecordToInput(record as Record<string, string>) };
  }
  while (skipped.length) yield { row: ++row, error: `The CSV record is malformed: ${skipped.shift()!.message}` };
}
