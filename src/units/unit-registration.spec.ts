import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError } from '../common/errors/error-results.js';
import type { OrganizationKind } from '../organizations/organization.entity.js';
import { checkRegistration, type NormalizedRegistration, type ProductRef } from './unit-registration.js';
import type { RegisterUnitInput } from './unit.inputs.js';

const MANUFACTURER_ID = '01900000-0000-7000-8000-000000000001';
const OTHER_MANUFACTURER_ID = '01900000-0000-7000-8000-000000000002';
const RETAILER_ID = '01900000-0000-7000-8000-000000000003';
const OTHER_RETAILER_ID = '01900000-0000-7000-8000-000000000004';
const NOT_A_RETAILER_ID = '01900000-0000-7000-8000-000000000005';
const PLATFORM_ID = '01900000-0000-7000-8000-000000000006';
const PRODUCT_ID = '01900000-0000-7000-8000-0000000000aa';

const NOW = '2026-11-22';

function caller(organizationKind: OrganizationKind, organizationId: string): Caller {
  return {
    apiKeyId: '01900000-0000-7000-8000-0000000000ff',
    organizationId,
    organizationKind,
    role: 'STAFF',
    technicianId: null,
  };
}

const manufacturer = caller('MANUFACTURER', MANUFACTURER_ID);
const retailer = caller('RETAILER', RETAILER_ID);
const platform = caller('PLATFORM', PLATFORM_ID);
const product: ProductRef = { id: PRODUCT_ID, manufacturerId: MANUFACTURER_ID };
const retailers = new Set([RETAILER_ID, OTHER_RETAILER_ID]);
const isRetailer = (id: string) => retailers.has(id);

function input(over: Partial<RegisterUnitInput> = {}): RegisterUnitInput {
  return {
    productId: PRODUCT_ID,
    serialNumber: 'NW5-000123',
    purchaseDate: '2026-11-01',
    ...over,
  } as RegisterUnitInput;
}

function ok(result: NormalizedRegistration | GenericError): NormalizedRegistration {
  if (result instanceof GenericError)
    throw new Error(`expected a registration, got ${result.errorCode} on ${result.field}: ${result.message}`);
  return result;
}

function failure(result: NormalizedRegistration | GenericError): GenericError {
  if (!(result instanceof GenericError))
    throw new Error(`expected an error, got a registration: ${JSON.stringify(result)}`);
  return result;
}

describe('checkRegistration: who registers a unit', () => {
  it("a manufacturer registering another manufacturer's product is refused on productId", () => {
    const other = caller('MANUFACTURER', OTHER_MANUFACTURER_ID);
    const error = failure(checkRegistration(other, input(), product, isRetailer, NOW));
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'productId' });
  });

  it("a manufacturer registers its own product, and the unit belongs to the product's manufacturer", () => {
    const result = ok(checkRegistration(manufacturer, input(), product, isRetailer, NOW));
    expect(result).toMatchObject({ productId: PRODUCT_ID, manufacturerId: MANUFACTURER_ID, retailerId: null });
  });

  it("the platform operator may register any manufacturer's product", () => {
    const result = ok(checkRegistration(platform, input(), product, isRetailer, NOW));
    expect(result).toMatchObject({ productId: PRODUCT_ID, manufacturerId: MANUFACTURER_ID });
  });
});

describe('checkRegistration: the retailer of the unit', () => {
  it("a retailer caller without retailerId is made the unit's retailer", () => {
    const result = ok(checkRegistration(retailer, input(), product, () => false, NOW));
    expect(result.retailerId).toBe(RETAILER_ID);
  });

  it('a retailer caller naming itself as retailerId is accepted', () => {
    const result = ok(checkRegistration(retailer, input({ retailerId: RETAILER_ID }), product, isRetailer, NOW));
    expect(result.retailerId).toBe(RETAILER_ID);
  });

  it('a retailer caller naming another retailer is refused on retailerId', () => {
    const error = failure(
      checkRegistration(retailer, input({ retailerId: OTHER_RETAILER_ID }), product, isRetailer, NOW),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'retailerId' });
  });

  it("a manufacturer may name a retailer organization as the unit's retailer", () => {
    const result = ok(
      checkRegistration(manufacturer, input({ retailerId: OTHER_RETAILER_ID }), product, isRetailer, NOW),
    );
    expect(result.retailerId).toBe(OTHER_RETAILER_ID);
  });

  it('a retailerId that is not a retailer organization is refused on retailerId', () => {
    const asked: string[] = [];
    const check = (id: string) => {
      asked.push(id);
      return isRetailer(id);
    };
    const error = failure(
      checkRegistration(manufacturer, input({ retailerId: NOT_A_RETAILER_ID }), product, check, NOW),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'retailerId' });
    expect(asked).toEqual([NOT_A_RETAILER_ID]);
  });

  it('the platform operator naming a non-retailer is refused on retailerId', () => {
    const error = failure(
      checkRegistration(platform, input({ retailerId: NOT_A_RETAILER_ID }), product, isRetailer, NOW),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'retailerId' });
  });
});

describe('checkRegistration: dates', () => {
  it('a purchase date after today is PURCHASE_DATE_IN_FUTURE on purchaseDate', () => {
    const error = failure(
      checkRegistration(manufacturer, input({ purchaseDate: '2026-11-23' }), product, isRetailer, NOW),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.PURCHASE_DATE_IN_FUTURE, field: 'purchaseDate' });
  });

  it('a purchase date of today is accepted', () => {
    const result = ok(checkRegistration(manufacturer, input({ purchaseDate: NOW }), product, isRetailer, NOW));
    expect(result.purchaseDate).toBe(NOW);
  });

  it('"today" is the given now: the same purchase date is in the future one day earlier', () => {
    const error = failure(
      checkRegistration(manufacturer, input({ purchaseDate: '2026-11-22' }), product, isRetailer, '2026-11-21'),
    );
    expect(error.errorCode).toBe(ErrorCode.PURCHASE_DATE_IN_FUTURE);
  });

  it('a purchase date that is not a calendar date is a VALIDATION_ERROR on purchaseDate', () => {
    const error = failure(
      checkRegistration(manufacturer, input({ purchaseDate: '2026-02-30' }), product, isRetailer, NOW),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'purchaseDate' });
  });

  it('a delivery date before the purchase date is refused on deliveryDate', () => {
    const error = failure(
      checkRegistration(
        manufacturer,
        input({ purchaseDate: '2026-11-01', deliveryDate: '2026-10-31' }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'deliveryDate' });
  });

  it('a delivery date on the purchase date is accepted', () => {
    const result = ok(
      checkRegistration(
        manufacturer,
        input({ purchaseDate: '2026-11-01', deliveryDate: '2026-11-01' }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(result.deliveryDate).toBe('2026-11-01');
  });

  it('no delivery date is stored as null', () => {
    const result = ok(checkRegistration(manufacturer, input(), product, isRetailer, NOW));
    expect(result.deliveryDate).toBeNull();
  });

  it('a customer birth date in the future is refused on customer.birthDate', () => {
    const error = failure(
      checkRegistration(
        manufacturer,
        input({ customer: { name: 'Ada', birthDate: '2026-11-23' } }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(error).toMatchObject({ errorCode: ErrorCode.VALIDATION_ERROR, field: 'customer.birthDate' });
  });

  it('a customer birth date of today is accepted (and kept)', () => {
    const result = ok(
      checkRegistration(manufacturer, input({ customer: { name: 'Ada', birthDate: NOW } }), product, isRetailer, NOW),
    );
    expect(result.owner?.birthDate).toBe(NOW);
  });
});

describe('checkRegistration: normalization', () => {
  it("the purchase price is rounded and written with the currency's minor-unit decimals (169.9 USD is 169.90)", () => {
    const result = ok(
      checkRegistration(
        manufacturer,
        input({ purchasePrice: { amount: '169.9', currency: 'USD' } }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(result).toMatchObject({ purchasePriceAmount: '169.90', purchasePriceCurrency: 'USD' });
  });

  it('a JPY purchase price is rounded half up to whole yen', () => {
    const result = ok(
      checkRegistration(
        manufacturer,
        input({ purchasePrice: { amount: '1500.5', currency: 'JPY' } }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(result).toMatchObject({ purchasePriceAmount: '1501', purchasePriceCurrency: 'JPY' });
  });

  it('no purchase price is stored as null amount and currency', () => {
    const result = ok(checkRegistration(manufacturer, input(), product, isRetailer, NOW));
    expect(result).toMatchObject({ purchasePriceAmount: null, purchasePriceCurrency: null });
  });

  it('the serial number is trimmed', () => {
    const result = ok(
      checkRegistration(manufacturer, input({ serialNumber: '  NW5-000123 \t' }), product, isRetailer, NOW),
    );
    expect(result.serialNumber).toBe('NW5-000123');
  });

  it('the proof-of-purchase reference is trimmed, and null when absent', () => {
    expect(
      ok(checkRegistration(manufacturer, input({ proofOfPurchaseRef: ' R-88412 ' }), product, isRetailer, NOW))
        .proofOfPurchaseRef,
    ).toBe('R-88412');
    expect(ok(checkRegistration(manufacturer, input(), product, isRetailer, NOW)).proofOfPurchaseRef).toBeNull();
  });

  it("the customer's email is trimmed and lowercased, the name and phone trimmed, consent false by default", () => {
    const result = ok(
      checkRegistration(
        manufacturer,
        input({
          customer: { name: '  Ada Lovelace ', email: ' Ada.Lovelace@Example.COM ', phone: ' +44 20 7946 0000 ' },
        }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(result.owner).toEqual({
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      phone: '+44 20 7946 0000',
      birthDate: null,
      marketingConsent: false,
      locale: null,
    });
  });

  it('a registration without a customer has no owner', () => {
    expect(ok(checkRegistration(manufacturer, input(), product, isRetailer, NOW)).owner).toBeNull();
  });

  it('a customer without email or phone stores them as null and keeps an explicit marketing consent', () => {
    const result = ok(
      checkRegistration(
        manufacturer,
        input({ customer: { name: 'Ada', marketingConsent: true } }),
        product,
        isRetailer,
        NOW,
      ),
    );
    expect(result.owner).toEqual({
      name: 'Ada',
      email: null,
      phone: null,
      birthDate: null,
      marketingConsent: true,
      locale: null,
    });
  });

  it("the customer's locale is stored in its canonical case (pt-br → pt-BR)", () => {
    const result = ok(
      checkRegistration(manufacturer, input({ customer: { name: 'Ada', locale: 'pt-br' } }), product, isRetailer, NOW),
    );
    expect(result.owner?.locale).toBe('pt-BR');
  });
});
