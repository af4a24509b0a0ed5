import { createHash } from 'node:crypto';
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../common/auth/caller.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import type { RowResult } from '../unit-import.checks.js';
import { importFormat, parseRows, type ImportFormat, type ParsedRow } from '../unit-import.parsing.js';
import type { ImportSummary } from '../unit-import.service.js';

/**
 * The HTTP side of POST /units:import: the body as rows, the Idempotency-Key, and the answer
 * streamed as NDJSON (the lines of unit-import.views.ts). The rules are unit-import.service.ts'.
 */

/** The streamed body and its format: NDJSON or CSV, else 415. */
export function importBody(req: FastifyRequest): { body: Readable; format: ImportFormat } {
  const format = importFormat(req.headers['content-type']);
  if (!format || !(req.body instanceof Readable)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      'Send the rows as NDJSON (Content-Type: application/x-ndjson) or CSV (Content-Type: text/csv).',
      { field: 'Content-Type', status: 415 },
    );
  }
  return { body: req.body, format };
}

/**
 * Reads the first row of the body and claims the import's key with it (`claimKey`), so a key
 * reused with another body is refused with a plain error before any row is written; then gives
 * every row, the first included. What is left unread when the reading stops early (past the row
 * limit, or on a failure) is drained.
 */
export async function readRowsClaimingKey(
  body: Readable,
  format: ImportFormat,
  claimKey: (first: ParsedRow | null) => Promise<string | null>,
): Promise<{ rows: AsyncIterable<ParsedRow>; importKey: string | null }> {
  const parsed = parseRows(body, format);
  const head = await parsed.next();
  const first = head.done ? null : head.value;
  const stopReading = async () => {
    await parsed.return(undefined);
    body.resume();
  };
  const importKey = await claimKey(first).catch(async (error: unknown) => {
    await stopReading();
    throw error;
  });
  async function* rows(): AsyncGenerator<ParsedRow> {
    try {
      if (!first) return;
      yield first;
      yield* parsed;
    } finally {
      await stopReading();
    }
  }
  return { rows: rows(), importKey };
}

/**
 * Claims the Idempotency-Key, if any, with a fingerprint of the first row, and answers the key the
 * import's units carry. "Still running" or "already done" is the same import again: its rows
 * already written report as created, so those conflicts go on; any other refusal stops the import.
 */
export async function claimImportKey(
  idempotency: IdempotencyService,
  caller: Caller,
  header: string | string[] | undefined,
  first: ParsedRow | null,
): Promise<string | null> {
  if (typeof header !== 'string' || !header) return null;
  idempotency.validateKey(header);
  const fingerprint = 'import:' + createHash('sha256').update(JSON.stringify(first)).digest('hex');
  try {
    await idempotency.claim(caller.apiKeyId, header, fingerprint);
  } catch (error) {
    if (!(error instanceof DomainError) || error.details.status === 422 || error.category !== 'CONFLICT') throw error;
  }
  return `${caller.apiKeyId}:${header}`;
}

/**
 * Answers 200 and writes one NDJSON line a result as they come, then the summary. Once the answer
 * has begun, a failure can no longer change its status: an `aborted` line ends it instead.
 */
export async function streamImportAnswer(
  req: FastifyRequest,
  reply: FastifyReply,
  results: AsyncGenerator<RowResult[], ImportSummary>,
): Promise<void> {
  const out = new PassThrough();
  void reply.status(200).type('application/x-ndjson').send(out);
  try {
    const summary = await writeResults(out, results);
    out.end(JSON.stringify({ summary }) + '\n');
  } catch (error) {
    req.log.error({ err: error }, 'import stopped');
    out.end(
      JSON.stringify({
        status: 'aborted',
        message:
          'The import stopped on our side; the rows reported as created above were written, no others. Retry with the same Idempotency-Key.',
        correlationId: req.id,
      }) + '\n',
    );
  }
}

/**
 * Writes each result as a line, the lines of a batch in one write (a write a line cost more than
 * the rest of the import's answer), waiting whenever the client reads slower than the import goes;
 * returns the summary.
 */
async function writeResults(
  out: Writable,
  results: AsyncGenerator<RowResult[], ImportSummary>,
): Promise<ImportSummary> {
  for (;;) {
    const next = await results.next();
    if (next.done) return next.value;
    let lines = '';
    for (const result of next.value) lines += JSON.stringify(result) + '\n';
    if (!out.write(lines)) await new Promise((resolve) => out.once('drain', resolve));
  }
}
