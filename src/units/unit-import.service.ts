import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, type Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { logSafeError } from '../common/errors/log-safe.js';
import { newId } from '../common/ids.js';
import {
  ImportRowChecks,
  isPending,
  rowError,
  type BatchEntry,
  type PendingRow,
  type RowResult,
} from './unit-import.checks.js';
import type { ParsedRow } from './unit-import.parsing.js';
import { findUnitsBySerial, insertImportedBatch, type ImportedUnit, type StoredSerial } from './unit-import.queries.js';
import { UnitsService, unitRegisteredEvent } from './units.service.js';

const MAX_IMPORT_ROWS = 100_000;
const BATCH_SIZE = 2500;
/** Rows checked between two turns of the event loop (see checkedBatches). */
const ROWS_BETWEEN_IO_TURNS = 50;
const logger = new Logger('Import');

/**
 * The database refused a row's data (class 22, data exception) or a constraint (class 23): that
 * row's fault, not the import's. A statement's error comes wrapped by TypeORM, a COPY's straight
 * from node-postgres.
 */
function isRowDataError(error: unknown): boolean {
  const code = ((error instanceof QueryFailedError ? error.driverError : error) as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

export interface ImportSummary {
  rows: number;
  created: number;
  failed: number;
}

/**
 * Bulk registration: rows come in, are checked by the same rules as registerUnit, and are written
 * in batches of BATCH_SIZE (one transaction each, units with their history and outbox rows). Each
 * row's result comes out as it is known. Units carry the import's key, so a retried import reports
 * the units it already created instead of creating them twice. Reading the body, the
 * Idempotency-Key and the streamed answer are the controller's (rest/unit-import.http.ts).
 */
@Injectable()
export class UnitImportService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
  ) {}

  /** The caller may register units at all: checked before anything is read. */
  authorize(caller: Caller): void {
    assertKind(caller, ['MANUFACTURER', 'RETAILER', 'PLATFORM'], 'register units');
    assertCanWork(caller);
  }

  /**
   * Checks and writes the rows; gives the rows' results in row order, a batch's at a time (as the
   * batch is written), and returns the summary. One batch is written while the next is read and
   * checked: the database works on its own core meanwhile. `importKey` is what the units carry to
   * be known on a retry (rest/unit-import.http.ts claimImportKey), null for an import without an
   * Idempotency-Key.
   */
  async *importRows(
    caller: Caller,
    rows: AsyncIterable<ParsedRow>,
    importKey: string | null,
  ): AsyncGenerator<RowResult[], ImportSummary> {
    const summary: ImportSummary = { rows: 0, created: 0, failed: 0 };
    let writing: Promise<RowResult[]> | null = null;
    for await (const batch of this.checkedBatches(caller, rows, summary)) {
      if (writing) yield counted(await writing, summary);
      writing = this.writeBatchOrRows(caller, batch, importKey);
      writing.catch(() => undefined); // awaited on the next batch; this only stops an early "unhandled" report
    }
    if (writing) yield counted(await writing, summary);
    return summary;
  }

  /**
   * The rows checked, in batches of BATCH_SIZE rows to write (the failed rows in between ride
   * along, five times that at most). Reading stops past MAX_IMPORT_ROWS, with an error for that row.
   */
  private async *checkedBatches(
    caller: Caller,
    rows: AsyncIterable<ParsedRow>,
    summary: ImportSummary,
  ): AsyncGenerator<BatchEntry[]> {
    const checks = new ImportRowChecks(caller, this.units, this.db.manager);
    let batch: BatchEntry[] = [];
    let pending = 0;
    for await (const parsed of rows) {
      if (parsed.row > MAX_IMPORT_ROWS) {
        batch.push(
          rowError(
            parsed.row,
            ErrorCode.VALIDATION_ERROR,
            `An import takes at most ${MAX_IMPORT_ROWS} rows; the rest was not read.`,
          ),
        );
        break;
      }
      summary.rows++;
      // checking runs on microtasks alone: let the batch being written hear from the database now and then
      if (summary.rows % ROWS_BETWEEN_IO_TURNS === 0) await new Promise((resolve) => setImmediate(resolve));
      const checked = checkedRow(checks, parsed);
      const entry = checked instanceof Promise ? await checked : checked; // most rows need not wait
      batch.push(entry);
      if (isPending(entry)) pending++;
      if (pending >= BATCH_SIZE || batch.length >= BATCH_SIZE * 5) {
        yield batch;
        batch = [];
        pending = 0;
      }
    }
    if (batch.length) yield batch;
  }

  /**
   * A batch the database refuses because of one row's data is written again row by row, so that
   * one bad row stays one failed row and the others are created. Other failures (the database
   * is gone) stop the import.
   */
  private async writeBatchOrRows(
    caller: Caller,
    entries: BatchEntry[],
    importKey: string | null,
  ): Promise<RowResult[]> {
    try {
      return await this.writeBatch(caller, entries, importKey);
    } catch (error) {
      if (!isRowDataError(error)) throw error;
    }
    const results: RowResult[] = [];
    for (const entry of entries) {
      results.push(isPending(entry) ? await this.writeRow(caller, entry, importKey) : entry);
    }
    return results;
  }

  /** One row alone, after its batch was refused: its own data may be what the database refuses. */
  private async writeRow(caller: Caller, entry: PendingRow, importKey: string | null): Promise<RowResult> {
    try {
      const [result] = await this.writeBatch(caller, [entry], importKey);
      return result;
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      logger.warn({ msg: 'an import row was refused by the database', row: entry.row, err: logSafeError(error) });
      return rowError(
        entry.row,
        ErrorCode.VALIDATION_ERROR,
        'The row could not be stored: one of its values is not valid for its field.',
      );
    }
  }

  /** One transaction per batch; the results of the failed rows pass through in their places. */
  private async writeBatch(caller: Caller, entries: BatchEntry[], importKey: string | null): Promise<RowResult[]> {
    const batch = entries.filter(isPending);
    if (batch.length === 0) return entries as RowResult[];
    const written = await this.db.transaction((em) => insertBatch(em, caller, batch, importKey));
    const byRow = new Map(written.map((result) => [result.row, result]));
    return entries.map((entry) => (isPending(entry) ? byRow.get(entry.row)! : entry));
  }
}

/**
 * New units with their history and outbox rows (unit-import.queries.ts). A serial number the
 * manufacturer already has is told apart by the import key: a unit of this same import (a retry)
 * is reported as created.
 */
async function insertBatch(
  em: EntityManager,
  caller: Caller,
  batch: PendingRow[],
  importKey: string | null,
): Promise<RowResult[]> {
  const units: ImportedUnit[] = batch.map(({ registration }) => {
    const id = newId();
    return { id, eventId: newId(), registration, event: unitRegisteredEvent(id, registration) };
  });
  const created = await insertImportedBatch(em, caller, units, importKey);
  const stored = new Map<string, StoredSerial>();
  if (created.size < units.length) {
    const missing = units.filter((unit) => !created.has(unit.id)).map((unit) => unit.registration);
    for (const unit of await findUnitsBySerial(em, missing)) stored.set(serialIdentity(unit), unit);
  }
  return batch.map((pending, i) => {
    const { id, registration } = units[i];
    if (created.has(id)) return { row: pending.row, status: 'created', id, serialNumber: registration.serialNumber };
    return existingSerialResult(
      pending.row,
      registration.serialNumber,
      stored.get(serialIdentity(registration)),
      importKey,
    );
  });
}

const serialIdentity = (unit: { manufacturerId: string; serialNumber: string }) =>
  `${unit.manufacturerId}\u0000${unit.serialNumber}`;

/** A row whose serial number the manufacturer already had: created by this same import (a retry), or a duplicate. */
function existingSerialResult(
  row: number,
  serialNumber: string,
  stored: StoredSerial | undefined,
  importKey: string | null,
): RowResult {
  if (stored && importKey && stored.importKey === importKey)
    return { row, status: 'created', id: stored.id, serialNumber };
  return rowError(
    row,
    ErrorCode.DUPLICATE_SERIAL_NUMBER,
    `The manufacturer already has a unit with serial number "${serialNumber}".`,
    'serialNumber',
  );
}

/** A row checked; a row the checks fail on (an input no rule foresaw) is that row's error, not the import's. */
function checkedRow(checks: ImportRowChecks, parsed: ParsedRow): BatchEntry | Promise<BatchEntry> {
  const unreadable = () =>
    rowError(parsed.row, ErrorCode.VALIDATION_ERROR, 'The row could not be read as a unit registration.');
  try {
    const entry = checks.check(parsed);
    return entry instanceof Promise ? entry.catch(unreadable) : entry;
  } catch {
    return unreadable();
  }
}

/** The results as they go out, counted in the summary. */
function counted(results: RowResult[], summary: ImportSummary): RowResult[] {
  for (const result of results) {
    if (result.status === 'created') summary.created++;
    else summary.failed++;
  }
  return results;
}
