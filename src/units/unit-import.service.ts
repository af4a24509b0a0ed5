import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource, QueryFailedError } from 'typeorm';
import { assertCanWork, assertKind, type Caller } from '../common/auth/caller.js';
import { today } from '../common/dates/calendar-date.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError } from '../common/errors/error-results.js';
import { logSafeError } from '../common/errors/log-safe.js';
import { findTextProblem } from '../common/http/input-text.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { checkRegistration, type NormalizedRegistration, type ProductRef } from './unit-registration.js';
import { parseRows, type ImportFormat, type ParsedRow } from './unit-import.parsing.js';
import { RegisterUnitInput } from './unit.inputs.js';
import { UnitsService, unitRegisteredEvent } from './units.service.js';

export const MAX_IMPORT_ROWS = 100_000;
const BATCH_SIZE = 2500;
const logger = new Logger('Import');

/** The database refused a row's data (class 22, data exception) or a constraint (class 23): that row's fault, not the import's. */
function isRowDataError(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: unknown })?.code : undefined;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

type RowResult =
  | { row: number; status: 'created'; id: string; serialNumber: string }
  | { row: number; status: 'error'; errorCode: string; field?: string; message: string };

interface PendingRow {
  row: number;
  registration: NormalizedRegistration;
}

/** A row of the batch being built: checked and waiting to be written, or already failed. */
type BatchEntry = PendingRow | RowResult;

export interface ImportSummary {
  rows: number;
  created: number;
  failed: number;
}

/**
 * Bulk registration: rows stream in, are checked by the same rules as registerUnit, and are
 * written in batches of 1,000 (one transaction each, units with their history and outbox rows).
 * Each row's result streams out as it is known. With an Idempotency-Key, units carry the key, so
 * a retried import reports the units it already created instead of creating them twice.
 */
@Injectable()
export class UnitImportService {
  constructor(
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** The caller may register units at all: checked before anything is read. */
  authorize(ctx: RequestContext): void {
    assertKind(ctx.caller, ['MANUFACTURER', 'RETAILER', 'PLATFORM'], 'register units');
    assertCanWork(ctx.caller);
  }

  /**
   * Reads, checks and writes the rows. `open` starts the answer: it is called once the first row
   * is read and the Idempotency-Key (if any) is claimed, so a key reused with another body is
   * refused with a plain error before any row is written. Results come out in row order.
   */
  async run(
    ctx: RequestContext,
    body: Readable,
    format: ImportFormat,
    idempotencyKey: string | undefined,
    open: () => Writable,
  ): Promise<ImportSummary> {
    let out: Writable | null = null;
    let importKey: string | null = null;
    const start = async (first: ParsedRow | null) => {
      if (idempotencyKey) importKey = await this.claimKey(ctx.caller, idempotencyKey, first);
      out = open();
    };
    const summary: ImportSummary = { rows: 0, created: 0, failed: 0 };
    const emit = async (results: RowResult[]) => {
      for (const result of results) {
        if (result.status === 'created') summary.created++;
        else summary.failed++;
        if (!out!.write(JSON.stringify(result) + '\n')) await new Promise((resolve) => out!.once('drain', resolve));
      }
    };
    const products = new Map<string, Promise<ProductRef | GenericError>>();
    const retailers = new Map<string, boolean>();
    const seen = new Set<string>();
    const now = today();
    let batch: BatchEntry[] = [];
    let pending = 0;
    // One batch is written while the next is read and checked: the database works on its own
    // core meanwhile. Results still come out in row order.
    let writing: Promise<RowResult[]> | null = null;
    const flush = async () => {
      if (writing) await emit(await writing);
      writing = batch.length ? this.writeBatchOrRows(ctx.caller, batch, importKey) : null;
      writing?.catch(() => undefined); // awaited on the next flush; this only stops an early "unhandled" report
      batch = [];
      pending = 0;
    };
    for await (const parsed of parseRows(body, format)) {
      if (!out) await start(parsed);
      if (parsed.row > MAX_IMPORT_ROWS) {
        batch.push({
          row: parsed.row,
          status: 'error',
          errorCode: ErrorCode.VALIDATION_ERROR,
          message: `An import takes at most ${MAX_IMPORT_ROWS} rows; the rest was not read.`,
        });
        body.resume();
        break;
      }
      summary.rows++;
      batch.push(
        await this.checkRow(ctx.caller, parsed, products, retailers, seen, now).catch((): RowResult => ({
          row: parsed.row,
          status: 'error',
          errorCode: ErrorCode.VALIDATION_ERROR,
          message: 'The row could not be read as a unit registration.',
        })),
      );
      if (!('status' in batch[batch.length - 1])) pending++;
      if (pending >= BATCH_SIZE || batch.length >= BATCH_SIZE * 5) await flush();
    }
    if (!out) await start(null);
    await flush();
    if (writing) await emit(await writing);
    return summary;
  }

  /** An import's key is claimed with a fingerprint of its first row: the same key with another body is refused before anything is written. */
  private async claimKey(caller: Caller, key: string, first: ParsedRow | null): Promise<string> {
    this.idempotency.validateKey(key);
    const fingerprint = 'import:' + createHash('sha256').update(JSON.stringify(first)).digest('hex');
    try {
      await this.idempotency.claim(caller.apiKeyId, key, fingerprint);
    } catch (error) {
      // "still running" or "already done" is the same import again: rows already written report as created
      if (!(error instanceof DomainError) || error.details.status === 422 || error.category !== 'CONFLICT') throw error;
    }
    return `${caller.apiKeyId}:${key}`;
  }

  /** One row checked: ready to write, or its error. */
  private async checkRow(
    caller: Caller,
    parsed: ParsedRow,
    products: Map<string, Promise<ProductRef | GenericError>>,
    retailers: Map<string, boolean>,
    seen: Set<string>,
    now: string,
  ): Promise<BatchEntry> {
    if ('error' in parsed)
      return {
        row: parsed.row,
        status: 'error',
        errorCode: ErrorCode.VALIDATION_ERROR,
        field: parsed.field,
        message: parsed.error,
      };
    const checked = await this.checkValue(caller, parsed.value, products, retailers, now);
    if (checked instanceof GenericError) {
      return {
        row: parsed.row,
        status: 'error',
        errorCode: checked.errorCode,
        field: checked.field,
        message: checked.message,
      };
    }
    const identity = `${checked.manufacturerId}\u0000${checked.serialNumber}`;
    if (seen.has(identity)) {
      return {
        row: parsed.row,
        status: 'error',
        errorCode: ErrorCode.DUPLICATE_SERIAL_NUMBER,
        field: 'serialNumber',
        message: `Serial number "${checked.serialNumber}" appears earlier in this import.`,
      };
    }
    seen.add(identity);
    return { row: parsed.row, registration: checked };
  }

  private async checkValue(
    caller: Caller,
    value: Record<string, unknown>,
    products: Map<string, Promise<ProductRef | GenericError>>,
    retailers: Map<string, boolean>,
    now: string,
  ): Promise<NormalizedRegistration | GenericError> {
    // the same text rule as every other input (see common/http/validation.ts): NUL or a lone surrogate fails the row, not the import
    const textProblem = findTextProblem(value);
    if (textProblem)
      return new GenericError(
        ErrorCode.VALIDATION_ERROR,
        `${textProblem.field} ${textProblem.message}`,
        textProblem.field,
      );
    const input = plainToInstance(RegisterUnitInput, value);
    const errors = validateSync(input, {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    if (errors.length) return firstValidationError(errors);
    const productKey = `${input.productId ?? ''}|${input.sku ?? ''}|${input.manufacturerId ?? ''}`;
    let product = products.get(productKey);
    if (!product) {
      product = this.units.resolveProduct(caller, input);
      products.set(productKey, product);
    }
    const resolved = await product;
    if (resolved instanceof GenericError) return resolved;
    if (input.retailerId && !retailers.has(input.retailerId)) {
      const rows = await this.db.query(`SELECT 1 FROM organizations WHERE id = $1 AND kind = 'RETAILER'`, [
        input.retailerId,
      ]);
      retailers.set(input.retailerId, rows.length === 1);
    }
    return checkRegistration(caller, input, resolved, (id) => retailers.get(id) === true, now);
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
      if (!('registration' in entry)) {
        results.push(entry);
        continue;
      }
      try {
        results.push(...(await this.writeBatch(caller, [entry], importKey)));
      } catch (error) {
        if (!isRowDataError(error)) throw error;
        logger.warn({ msg: 'an import row was refused by the database', row: entry.row, err: logSafeError(error) });
        results.push({
          row: entry.row,
          status: 'error',
          errorCode: ErrorCode.VALIDATION_ERROR,
          message: 'The row could not be stored: one of its values is not valid for its field.',
        });
      }
    }
    return results;
  }

  /** One transaction per batch: new units, then their history and outbox rows; existing serials are told apart by import key. */
  private async writeBatch(caller: Caller, entries: BatchEntry[], importKey: string | null): Promise<RowResult[]> {
    const batch = entries.filter((e): e is PendingRow => 'registration' in e);
    if (batch.length === 0) return entries as RowResult[];
    const written = await this.db.transaction(async (em) => {
      const ids = batch.map(() => newId());
      const r = batch.map((p) => p.registration);
      const inserted: { id: string }[] = await em.query(
        `INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                            purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, import_key)
         SELECT id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, $12
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::date[], $7::date[], $8::numeric[], $9::text[], $10::text[], $11::jsonb[])
             AS t(id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                  purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner)
         ON CONFLICT (manufacturer_id, serial_number) DO NOTHING
         RETURNING id`,
        [
          ids,
          r.map((x) => x.productId),
          r.map((x) => x.manufacturerId),
          r.map((x) => x.retailerId),
          r.map((x) => x.serialNumber),
          r.map((x) => x.purchaseDate),
          r.map((x) => x.deliveryDate),
          r.map((x) => x.purchasePriceAmount),
          r.map((x) => x.purchasePriceCurrency),
          r.map((x) => x.proofOfPurchaseRef),
          r.map((x) => (x.owner ? JSON.stringify(x.owner) : null)),
          importKey,
        ],
      );
      const created = new Set(inserted.map((row) => row.id));
      const existing = new Map<string, { id: string; import_key: string | null }>();
      if (created.size < batch.length) {
        const missing = batch.filter((_, i) => !created.has(ids[i])).map((p) => p.registration);
        const rows: { id: string; manufacturer_id: string; serial_number: string; import_key: string | null }[] =
          await em.query(
            `SELECT u.id, u.manufacturer_id, u.serial_number, u.import_key
             FROM units u JOIN unnest($1::uuid[], $2::text[]) AS t(manufacturer_id, serial_number)
               ON u.manufacturer_id = t.manufacturer_id AND u.serial_number = t.serial_number`,
            [missing.map((x) => x.manufacturerId), missing.map((x) => x.serialNumber)],
          );
        for (const row of rows) existing.set(`${row.manufacturer_id}\u0000${row.serial_number}`, row);
      }
      const newIds = ids.filter((id) => created.has(id));
      if (newIds.length) {
        const newRows = batch.filter((_, i) => created.has(ids[i])).map((p) => p.registration);
        await em.query(
          `INSERT INTO unit_events (id, unit_id, type, actor_organization_id, technician_id, summary)
           SELECT t.event_id, t.unit_id, 'REGISTERED', $3, $4, 'Registered with serial number ' || t.serial_number || ' (bulk import)'
             FROM unnest($1::uuid[], $2::uuid[], $5::text[]) AS t(event_id, unit_id, serial_number)`,
          [
            newIds.map(() => newId()),
            newIds,
            caller.organizationId,
            caller.technicianId,
            newRows.map((x) => x.serialNumber),
          ],
        );
        await em.query(
          `INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, actor_organization_id, payload)
           SELECT 'UnitRegistered', 'Unit', t.id, $2, t.payload FROM unnest($1::uuid[], $3::jsonb[]) AS t(id, payload)`,
          [
            newIds,
            caller.organizationId,
            newIds.map((id, i) => JSON.stringify(unitRegisteredEvent(id, newRows[i]).payload)),
          ],
        );
      }
      return batch.map((pending, i): RowResult => {
        const serialNumber = pending.registration.serialNumber;
        if (created.has(ids[i])) return { row: pending.row, status: 'created', id: ids[i], serialNumber };
        const found = existing.get(`${pending.registration.manufacturerId}\u0000${serialNumber}`);
        if (found && importKey && found.import_key === importKey)
          return { row: pending.row, status: 'created', id: found.id, serialNumber };
        return {
          row: pending.row,
          status: 'error',
          errorCode: ErrorCode.DUPLICATE_SERIAL_NUMBER,
          field: 'serialNumber',
          message: `The manufacturer already has a unit with serial number "${serialNumber}".`,
        };
      });
    });
    const byRow = new Map(written.map((result) => [result.row, result]));
    return entries.map((entry) => ('registration' in entry ? byRow.get(entry.row)! : entry));
  }
}

function firstValidationError(errors: import('class-validator').ValidationError[], parent = ''): GenericError {
  const error = errors[0];
  const field = parent ? `${parent}.${error.property}` : error.property;
  if (error.children?.length) return firstValidationError(error.children, field);
  const message = Object.values(error.constraints ?? {}).at(-1) ?? `${field} is not valid`;
  return new GenericError(ErrorCode.VALIDATION_ERROR, message.replace(error.property, field), field);
}
