import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { today } from '../common/dates/calendar-date.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError } from '../common/errors/error-results.js';
import type { ParsedRow } from './unit-import.parsing.js';
import { checkRegistration, type NormalizedRegistration, type ProductRef } from './unit-registration.js';
import { RegisterUnitInput } from './unit.inputs.js';
import { isRetailerOrganization } from './unit.queries.js';
import type { UnitsService } from './units.service.js';

/** What the import answers for a row (a line of its streamed answer, unit-import.views.ts). */
export type RowResult =
  | { row: number; status: 'created'; id: string; serialNumber: string }
  | { row: number; status: 'error'; errorCode: string; field?: string; message: string };

/** A row that passed every rule, waiting to be written. */
export interface PendingRow {
  row: number;
  registration: NormalizedRegistration;
}

/** A row of the batch being built: checked and waiting to be written, or already failed. */
export type BatchEntry = PendingRow | RowResult;

export const isPending = (entry: BatchEntry): entry is PendingRow => 'registration' in entry;

export function rowError(row: number, errorCode: string, message: string, field?: string): RowResult {
  return { row, status: 'error', errorCode, field, message };
}

/**
 * The checks of one import's rows: the same rules as registerUnit, plus no serial number twice in
 * the import. Products and retailers are looked up once per import, not once per row, so after
 * the first rows naming them a row is checked without waiting on anything.
 */
export class ImportRowChecks {
  private readonly products = new Map<string, ProductRef | GenericError>();
  private readonly retailers = new Map<string, boolean>();
  /** The serial numbers of the import so far, by manufacturer (serials are unique per manufacturer). */
  private readonly seen = new Map<string, Set<string>>();
  private readonly now = today();

  constructor(
    private readonly caller: Caller,
    private readonly units: UnitsService,
    private readonly em: EntityManager,
  ) {}

  /** One row checked: ready to write, or its error; a promise only while its product or retailer is being looked up. */
  check(parsed: ParsedRow): BatchEntry | Promise<BatchEntry> {
    if ('error' in parsed) return rowError(parsed.row, ErrorCode.VALIDATION_ERROR, parsed.error, parsed.field);
    const input = validInput(parsed.value);
    if (input instanceof GenericError) return rowError(parsed.row, input.errorCode, input.message, input.field);
    const productKey = `${input.productId ?? ''}|${input.sku ?? ''}|${input.manufacturerId ?? ''}`;
    if (this.products.has(productKey) && (!input.retailerId || this.retailers.has(input.retailerId)))
      return this.decide(parsed.row, input, productKey);
    return this.lookUp(input, productKey).then(() => this.decide(parsed.row, input, productKey));
  }

  /** The row's product and retailer, looked up once for all the rows that name them alike. */
  private async lookUp(input: RegisterUnitInput, productKey: string): Promise<void> {
    if (!this.products.has(productKey))
      this.products.set(productKey, await this.units.resolveProduct(this.caller, input));
    if (input.retailerId && !this.retailers.has(input.retailerId))
      this.retailers.set(input.retailerId, await isRetailerOrganization(this.em, input.retailerId));
  }

  private decide(row: number, input: RegisterUnitInput, productKey: string): BatchEntry {
    const product = this.products.get(productKey)!;
    const checked =
      product instanceof GenericError
        ? product
        : checkRegistration(this.caller, input, product, (id) => this.retailers.get(id) === true, this.now);
    if (checked instanceof GenericError) return rowError(row, checked.errorCode, checked.message, checked.field);
    let serials = this.seen.get(checked.manufacturerId);
    if (!serials) this.seen.set(checked.manufacturerId, (serials = new Set()));
    if (serials.has(checked.serialNumber)) {
      return rowError(
        row,
        ErrorCode.DUPLICATE_SERIAL_NUMBER,
        `Serial number "${checked.serialNumber}" appears earlier in this import.`,
        'serialNumber',
      );
    }
    serials.add(checked.serialNumber);
    return { row, registration: checked };
  }
}

/** The row (its text already checked by parseRows) as a RegisterUnitInput that passed the input rules, or the first rule it breaks. */
function validInput(value: Record<string, unknown>): RegisterUnitInput | GenericError {
  const input = plainToInstance(RegisterUnitInput, value);
  const errors = validateSync(input, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  return errors.length ? firstValidationError(errors) : input;
}

function firstValidationError(errors: ValidationError[], parent = ''): GenericError {
  const error = errors[0];
  const field = parent ? `${parent}.${error.property}` : error.property;
  if (error.children?.length) return firstValidationError(error.children, field);
  const message = Object.values(error.constraints ?? {}).at(-1) ?? `${field} is not valid`;
  return new GenericError(ErrorCode.VALIDATION_ERROR, message.replace(error.property, field), field);
}
