import { isCalendarDate, today, type CalendarDate } from '../common/dates/calendar-date.js';
import type { Caller } from '../common/auth/caller.js';
import { canonicalLocale } from '../common/http/locale.validator.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError, validationError } from '../common/errors/error-results.js';
import { money } from '../common/money/money.js';
import type { OwnerData } from './unit.entity.js';
import type { CustomerInput, RegisterUnitInput } from './unit.inputs.js';

/** What a registration needs to know about the product it names. */
export interface ProductRef {
  id: string;
  manufacturerId: string;
}

/** A registration that passed every rule, ready to insert. */
export interface NormalizedRegistration {
  productId: string;
  manufacturerId: string;
  retailerId: string | null;
  serialNumber: string;
  purchaseDate: CalendarDate;
  deliveryDate: CalendarDate | null;
  purchasePriceAmount: string | null;
  purchasePriceCurrency: string | null;
  proofOfPurchaseRef: string | null;
  owner: OwnerData | null;
}

export function normalizeOwner(customer: CustomerInput): OwnerData {
  return {
    name: customer.name.trim(),
    email: customer.email?.trim().toLowerCase() ?? null,
    phone: customer.phone?.trim() ?? null,
    birthDate: customer.birthDate ?? null,
    marketingConsent: customer.marketingConsent ?? false,
    locale: customer.locale ? canonicalLocale(customer.locale) : null,
  };
}

export function validateCustomer(
  customer: CustomerInput | undefined,
  field: string,
  now: CalendarDate,
): GenericError | null {
  if (customer?.birthDate && customer.birthDate > now)
    return validationError(`${field}.birthDate`, 'birthDate cannot be in the future.');
  return null;
}

/**
 * The rules of registering a unit, once the product is known: who may register it, for which
 * retailer, and the dates. Pure, so the single and the bulk registration apply the very same rules.
 * `retailerIsValid` tells whether an id names a retailer organization.
 */
export function checkRegistration(
  caller: Caller,
  input: RegisterUnitInput,
  product: ProductRef,
  retailerIsValid: (id: string) => boolean,
  now: CalendarDate = today(),
): NormalizedRegistration | GenericError {
  const productError = checkProductMaker(caller, product);
  if (productError) return productError;
  const retailerId = registeringRetailer(caller, input.retailerId ?? null, retailerIsValid);
  if (retailerId instanceof GenericError) return retailerId;
  const error = checkDates(input, now) ?? validateCustomer(input.customer, 'customer', now);
  if (error) return error;
  return normalizeRegistration(input, product, retailerId);
}

/** A manufacturer registers units of its own products only. */
function checkProductMaker(caller: Caller, product: ProductRef): GenericError | null {
  if (caller.organizationKind === 'MANUFACTURER' && product.manufacturerId !== caller.organizationId)
    return validationError('productId', 'A manufacturer registers units of its own products only.');
  return null;
}

/** The unit's retailer: a retailer registers the units it sold; others may name a retailer organization. */
function registeringRetailer(
  caller: Caller,
  retailerId: string | null,
  retailerIsValid: (id: string) => boolean,
): string | null | GenericError {
  if (caller.organizationKind === 'RETAILER') {
    if (retailerId && retailerId !== caller.organizationId)
      return validationError(
        'retailerId',
        'A retailer registers the units it sold: retailerId must be the caller or absent.',
      );
    return caller.organizationId;
  }
  if (retailerId && !retailerIsValid(retailerId))
    return validationError('retailerId', 'retailerId must be a retailer organization.');
  return retailerId;
}

/** A purchase date that is a real day, not in the future, and no delivery before it. */
function checkDates(input: RegisterUnitInput, now: CalendarDate): GenericError | null {
  if (!isCalendarDate(input.purchaseDate))
    return validationError('purchaseDate', 'purchaseDate must be a calendar date like "2026-11-22".');
  if (input.purchaseDate > now)
    return new GenericError(
      ErrorCode.PURCHASE_DATE_IN_FUTURE,
      `purchaseDate ${input.purchaseDate} is in the future.`,
      'purchaseDate',
    );
  if (input.deliveryDate && input.deliveryDate < input.purchaseDate)
    return validationError('deliveryDate', 'deliveryDate cannot be before purchaseDate.');
  return null;
}

function normalizeRegistration(
  input: RegisterUnitInput,
  product: ProductRef,
  retailerId: string | null,
): NormalizedRegistration {
  const price = input.purchasePrice ? money(input.purchasePrice.amount, input.purchasePrice.currency) : null;
  return {
    productId: product.id,
    manufacturerId: product.manufacturerId,
    retailerId,
    serialNumber: input.serialNumber.trim(),
    purchaseDate: input.purchaseDate,
    deliveryDate: input.deliveryDate ?? null,
    purchasePriceAmount: price?.amount ?? null,
    purchasePriceCurrency: price?.currency ?? null,
    proofOfPurchaseRef: input.proofOfPurchaseRef?.trim() ?? null,
    owner: input.customer ? normalizeOwner(input.customer) : null,
  };
}
