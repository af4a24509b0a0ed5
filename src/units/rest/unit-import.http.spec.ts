import { PassThrough, Readable } from 'node:stream';
import type { ParsedRow } from '../unit-import.parsing.js';
import { readRowsClaimingKey } from './unit-import.http.js';

const ndjson = (...lines: object[]) => Readable.from([lines.map((line) => JSON.stringify(line)).join('\n') + '\n']);

/** Whether the rest of a long body, sent now, is all taken from the sender (within a second): nothing holds it back. */
function drained(body: PassThrough): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 1000);
    body.once('finish', () => {
      clearTimeout(timer);
      resolve(true);
    });
    body.end('SN-REST\n'.repeat(50_000));
  });
}

async function all(rows: AsyncIterable<ParsedRow>): Promise<ParsedRow[]> {
  const seen: ParsedRow[] = [];
  for await (const row of rows) seen.push(row);
  return seen;
}

describe('readRowsClaimingKey: the first row is read ahead for the Idempotency-Key', () => {
  it('claims with the first row, then gives every row, the first included, in order', async () => {
    const claimedWith: (ParsedRow | null)[] = [];
    const { rows, importKey } = await readRowsClaimingKey(
      ndjson({ serialNumber: 'A' }, { serialNumber: 'B' }),
      'ndjson',
      (first) => {
        claimedWith.push(first);
        return Promise.resolve('key-1');
      },
    );
    expect(importKey).toBe('key-1');
    expect(claimedWith).toEqual([{ row: 1, value: { serialNumber: 'A' } }]);
    expect(await all(rows)).toEqual([
      { row: 1, value: { serialNumber: 'A' } },
      { row: 2, value: { serialNumber: 'B' } },
    ]);
  });

  it('claims with null for an empty body, which has no rows', async () => {
    const { rows, importKey } = await readRowsClaimingKey(Readable.from([]), 'csv', (first) =>
      Promise.resolve(first === null ? null : 'unexpected'),
    );
    expect(importKey).toBeNull();
    expect(await all(rows)).toEqual([]);
  });

  // CSV: the parser is piped from the body, so a stopped parser would leave the body paused
  it('stops reading and drains the body when the claim is refused', async () => {
    const body = new PassThrough();
    body.write('serialNumber\nA\nB\nC\n');
    const refused = new Error('another body with this key');
    await expect(readRowsClaimingKey(body, 'csv', () => Promise.reject(refused))).rejects.toBe(refused);
    expect(await drained(body)).toBe(true);
  });

  it('drains the rest of the body when the reader stops early (past the row limit)', async () => {
    const body = new PassThrough();
    body.write('serialNumber\nA\nB\nC\n');
    const { rows } = await readRowsClaimingKey(body, 'csv', () => Promise.resolve(null));
    for await (const row of rows) {
      expect(row).toEqual({ row: 1, value: { serialNumber: 'A' } });
      break;
    }
    expect(await drained(body)).toBe(true);
  });
});
