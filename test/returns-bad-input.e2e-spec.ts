import { createProduct, createTenant, gql, type Tenant, uniqueSerial } from './support/api.js';
import {
  bad400,
  callOp,
  G,
  itAcceptsTheBaselines,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type GqlRefusal,
  type OpSpec,
  type RestRefusal,
} from './support/bad-input-table.js';
import { longText, sqlQuery, utcDate } from './support/input-helpers.js';
import { createPolicy, expectReturn, returnsApi, returnTableCounts } from './support/returns-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister } from './support/units-helpers.js';

/**
 * Malformed input to the return operations, over GraphQL (variables) and REST (JSON bodies).
 * docs/rules.md, "Always": bad input is a clear error naming the field, and nothing is stored;
 * "Returns": a holiday extension is a purchase range and a last return day, the unopened
 * window is the longer one for unopened items. README, "Errors": GraphQL answers
 * extensions.code BAD_USER_INPUT (or a GenericError union member), REST answers problem+json with
 * `code` and `field` (400 invalid input, 422 refused by a rule); an unknown unit or return is
 * NOT_FOUND (404).
 */

interface ReturnRef {
  id: string;
  version: number;
  lineIds: string[];
}

interface Fixtures {
  seller: Tenant;
  otherSeller: Tenant;
  /** A category no policy of the seller has yet: the createReturnPolicy baseline makes a policy for it. */
  category: string;
  /** Two units of the seller, on no return: the requestReturn baseline returns both. */
  units: string[];
  /** A unit of the other retailer, which the seller cannot see. */
  hiddenUnitId: string;
  /** The return an action works on, made fresh when the last one changed: AUTHORIZED, RECEIVED or INSPECTED, with two lines. */
  rma: ReturnRef;
  /** A line of another return of the seller. */
  otherLineId: string;
  /** A serial number nobody has: the resolveReturn baseline exchanges line 1 for it. */
  serial: string;
  /** A retailer with no policy yet, for cases another policy of the seller could mask. */
  newRetailer: Tenant;
}

type OpName =
  | 'createReturnPolicy'
  | 'createReturnPolicy (holiday)'
  | 'createReturnPolicy (a new retailer)'
  | 'requestReturn'
  | 'transitionReturn'
  | 'inspectReturn'
  | 'resolveReturn';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NOT_A_UUID_36 = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz';
const SQL = "'; DROP TABLE return_authorizations; --";
const PURCHASE_DATE = utcDate(-5);

const CHANGE_RESULT = `{ __typename ... on ReturnAuthorization { id status version } ... on GenericError { errorCode message field }
  ... on VersionConflictError { errorCode message currentVersion } ... on InvalidStateTransitionError { errorCode message fromState toState allowedStates } }`;
const CREATE_POLICY = `mutation($input: CreateReturnPolicyInput!) { createReturnPolicy(input: $input) { id } }`;

/** REST body of an action on a return: the return comes from the path. */
const returnAction =
  (action: string) =>
  ({ returnId, ...body }: Record<string, any>) => ({ path: `/returns/${returnId}:${action}`, body });

/** Fresh fixtures, made before the rows are counted; kept while they are still unused (refused cases change nothing). */
let freshOf: (
  op: 'category' | 'retailer' | 'units' | 'AUTHORIZED' | 'RECEIVED' | 'INSPECTED',
  f: Fixtures,
) => Promise<Fixtures>;

const POLICY_BASE = (f: Fixtures) => ({
  name: 'Bad-input policy',
  categories: [f.category],
  windowDays: 30,
  restockingFeePercent: '15',
  allowedResolutions: ['REFUND', 'EXCHANGE'],
  shipWithinDays: 14,
});

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  createReturnPolicy: {
    mutation: CREATE_POLICY,
    key: (f) => f.seller.staff,
    valid: POLICY_BASE,
    rest: (input) => ({ path: '/return-policies', body: input }),
    restStatus: 201,
    setup: (f) => freshOf('category', f),
  },
  'createReturnPolicy (holiday)': {
    mutation: CREATE_POLICY,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      ...POLICY_BASE(f),
      unopenedWindowDays: 45,
      holidayPurchaseStart: '2025-11-20',
      holidayPurchaseEnd: '2025-12-31',
      holidayReturnUntil: '2026-01-31',
    }),
    rest: (input) => ({ path: '/return-policies', body: input }),
    restStatus: 201,
    resultField: 'createReturnPolicy',
    setup: (f) => freshOf('category', f),
  },
  'createReturnPolicy (a new retailer)': {
    mutation: CREATE_POLICY,
    key: (f) => f.newRetailer.staff,
    valid: POLICY_BASE,
    rest: (input) => ({ path: '/return-policies', body: input }),
    restStatus: 201,
    resultField: 'createReturnPolicy',
    setup: (f) => freshOf('retailer', f),
  },
  requestReturn: {
    mutation: `mutation($input: RequestReturnInput!) { requestReturn(input: $input) { __typename ... on ReturnAuthorization { id status } ... on GenericError { errorCode message field } } }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      lines: [
        { unitId: f.units[0], reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' },
        { unitId: f.units[1], reason: 'DEFECTIVE', condition: 'UNOPENED', requestedResolution: 'EXCHANGE' },
      ],
      requestedOn: utcDate(-1),
      note: 'Asked for in store',
    }),
    rest: (input) => ({ path: '/returns', body: input }),
    restStatus: 201,
    setup: (f) => freshOf('units', f),
  },
  transitionReturn: {
    mutation: `mutation($input: TransitionReturnInput!) { transitionReturn(input: $input) ${CHANGE_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      returnId: f.rma.id,
      to: 'IN_TRANSIT',
      expectedVersion: f.rma.version,
      trackingNumber: '1Z999AA10123456784',
      carrier: 'UPS',
      note: 'Label printed',
    }),
    rest: returnAction('transition'),
    restStatus: 200,
    setup: (f) => freshOf('AUTHORIZED', f),
  },
  inspectReturn: {
    mutation: `mutation($input: InspectReturnInput!) { inspectReturn(input: $input) ${CHANGE_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      returnId: f.rma.id,
      expectedVersion: f.rma.version,
      lines: [
        { lineId: f.rma.lineIds[0], grade: 'A', condition: 'OPENED', note: 'Like new' },
        { lineId: f.rma.lineIds[1], grade: 'C', condition: 'DAMAGED' },
      ],
    }),
    rest: returnAction('inspect'),
    restStatus: 200,
    setup: (f) => freshOf('RECEIVED', f),
  },
  resolveReturn: {
    mutation: `mutation($input: ResolveReturnInput!) { resolveReturn(input: $input) ${CHANGE_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      returnId: f.rma.id,
      expectedVersion: f.rma.version,
      lines: [
        { lineId: f.rma.lineIds[0], resolution: 'REFUND' },
        { lineId: f.rma.lineIds[1], resolution: 'EXCHANGE', replacementSerialNumber: f.serial },
      ],
    }),
    rest: returnAction('resolve'),
    restStatus: 200,
    setup: (f) => freshOf('INSPECTED', f),
  },
};

/** A rule about the whole input (not one value's shape): a GenericError VALIDATION_ERROR member over GraphQL. */
const invalid = (field: string) => ({ result: 'VALIDATION_ERROR', field });
const notFound = (field: string): GqlRefusal => ({ error: 'NOT_FOUND', field });
const notFound404 = (field: string, errorCode?: string): RestRefusal => ({
  status: 404,
  code: 'NOT_FOUND',
  field,
  ...(errorCode ? { errorCode } : {}),
});

const firstUnit = (f: Fixtures) => f.units[0];
const hiddenUnit = (f: Fixtures) => f.hiddenUnitId;
const firstLine = (f: Fixtures) => f.rma.lineIds[0];
const otherLine = (f: Fixtures) => f.otherLineId;
const sellerId = (f: Fixtures) => f.seller.id;
const line = (unitId: string) => ({
  unitId,
  reason: 'CHANGED_MIND',
  condition: 'OPENED',
  requestedResolution: 'REFUND',
});
const repairLine = (serviceCenterId: (f: Fixtures) => string) => (f: Fixtures) => ({
  lineId: f.rma.lineIds[1],
  resolution: 'REPAIR',
  serviceCenterId: serviceCenterId(f),
});
const unknownCenter = () => UNKNOWN_ID;

const CASES: BadCase<OpName>[] = [
  // createReturnPolicy: a 30-day policy for a new category, 15 % fee
  G('createReturnPolicy', 'name', '', refused('name'), 'an empty name'),
  G('createReturnPolicy', 'name', '   ', refused('name'), 'a blank name'),
  G('createReturnPolicy', 'name', longText(201), refused('name')),
  G('createReturnPolicy', 'windowDays', -1, refused('windowDays'), 'a negative windowDays -1'),
  G('createReturnPolicy', 'windowDays', 1.5, mentioned('windowDays'), 'windowDays as a JSON float 1.5'),
  G('createReturnPolicy', 'windowDays', '30', mentioned('windowDays'), 'windowDays as a string "30"'),
  G('createReturnPolicy', 'windowDays', 3651, refused('windowDays'), 'windowDays 3651 (more than ten years)'),
  G('createReturnPolicy', 'windowDays', 2 ** 31, mentioned('windowDays'), 'windowDays 2^31 (not a 32-bit Int)'),
  G('createReturnPolicy', 'windowDays', null, mentioned('windowDays'), 'windowDays null'),
  G(
    'createReturnPolicy',
    'unopenedWindowDays',
    10,
    refused('unopenedWindowDays'),
    'unopenedWindowDays 10, shorter than windowDays 30',
  ),
  G('createReturnPolicy', 'unopenedWindowDays', -5, refused('unopenedWindowDays'), 'a negative unopenedWindowDays'),
  G(
    'createReturnPolicy',
    'windowStartsFrom',
    'SHIPPING_DATE',
    mentioned('windowStartsFrom'),
    'an unknown windowStartsFrom "SHIPPING_DATE"',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    '101',
    refused('restockingFeePercent'),
    'restockingFeePercent "101" (above 100)',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    '100.0001',
    refused('restockingFeePercent'),
    'restockingFeePercent "100.0001" (above 100)',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    '-5',
    refused('restockingFeePercent'),
    'a negative restockingFeePercent "-5"',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    -5,
    mentioned('restockingFeePercent'),
    'a negative integer restockingFeePercent -5',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    12.5,
    mentioned('restockingFeePercent'),
    'restockingFeePercent as a JSON float 12.5',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    'abc',
    mentioned('restockingFeePercent'),
    'restockingFeePercent "abc"',
  ),
  G(
    'createReturnPolicy',
    'restockingFeePercent',
    '12.34567',
    refused('restockingFeePercent'),
    'restockingFeePercent with five decimals',
  ),
  G(
    'createReturnPolicy',
    'holidayPurchaseStart',
    '2025-11-20',
    refused('holidayPurchaseStart'),
    'only holidayPurchaseStart of the holiday extension',
  ),
  G(
    'createReturnPolicy',
    'holidayPurchaseEnd',
    '2025-12-31',
    refused('holidayPurchaseStart'),
    'only holidayPurchaseEnd of the holiday extension',
  ),
  G(
    'createReturnPolicy',
    'holidayReturnUntil',
    '2026-01-31',
    refused('holidayPurchaseStart'),
    'only holidayReturnUntil of the holiday extension',
  ),
  G('createReturnPolicy', 'holidayPurchaseStart', 'black friday', mentioned('holidayPurchaseStart')),
  G(
    'createReturnPolicy',
    'holidayPurchaseStart',
    '2025-02-30',
    mentioned('holidayPurchaseStart'),
    'holidayPurchaseStart "2025-02-30" (no such day)',
  ),
  G('createReturnPolicy', 'allowedResolutions', [], refused('allowedResolutions'), 'empty allowedResolutions'),
  G(
    'createReturnPolicy',
    'allowedResolutions',
    ['REFUND', 'BARTER'],
    mentioned('allowedResolutions'),
    'an unknown resolution "BARTER"',
  ),
  G('createReturnPolicy', 'shipWithinDays', 0, refused('shipWithinDays')),
  G('createReturnPolicy', 'shipWithinDays', 366, refused('shipWithinDays')),
  G(
    'createReturnPolicy',
    'waiveFeeWhenRetailerAtFault',
    'yes',
    mentioned('waiveFeeWhenRetailerAtFault'),
    'waiveFeeWhenRetailerAtFault "yes"',
  ),
  G('createReturnPolicy', 'categories.0', '', refused('categories'), 'an empty category'),
  G('createReturnPolicy (a new retailer)', 'categories.0', '   ', refused('categories'), 'a blank category "   "'),
  G('createReturnPolicy', 'retailerId', sellerId, mentioned('retailerId'), 'an unknown field "retailerId"'),
  G('createReturnPolicy', 'refundShipping', true, mentioned('refundShipping'), 'an unknown field "refundShipping"'),
  R('createReturnPolicy', 'name', '   ', bad400('name'), 'a blank name'),
  R('createReturnPolicy', 'name', 42, bad400('name'), 'name as a number'),
  R('createReturnPolicy', 'windowDays', -1, bad400('windowDays'), 'a negative windowDays -1'),
  R('createReturnPolicy', 'windowDays', 1.5, bad400('windowDays'), 'windowDays as a JSON float 1.5'),
  R('createReturnPolicy', 'windowDays', '30', bad400('windowDays'), 'windowDays as a string "30"'),
  R('createReturnPolicy', 'windowDays', 3651, bad400('windowDays'), 'windowDays 3651 (more than ten years)'),
  R('createReturnPolicy', 'windowDays', undefined, bad400('windowDays'), 'no windowDays'),
  R(
    'createReturnPolicy',
    'unopenedWindowDays',
    10,
    bad400('unopenedWindowDays'),
    'unopenedWindowDays 10, shorter than windowDays 30',
  ),
  R(
    'createReturnPolicy',
    'windowStartsFrom',
    'SHIPPING_DATE',
    bad400('windowStartsFrom'),
    'an unknown windowStartsFrom "SHIPPING_DATE"',
  ),
  R(
    'createReturnPolicy',
    'restockingFeePercent',
    '101',
    bad400('restockingFeePercent'),
    'restockingFeePercent "101" (above 100)',
  ),
  R(
    'createReturnPolicy',
    'restockingFeePercent',
    101,
    bad400('restockingFeePercent'),
    'restockingFeePercent 101 as a JSON integer (above 100)',
  ),
  R(
    'createReturnPolicy',
    'restockingFeePercent',
    '-5',
    bad400('restockingFeePercent'),
    'a negative restockingFeePercent "-5"',
  ),
  R(
    'createReturnPolicy',
    'restockingFeePercent',
    -5,
    bad400('restockingFeePercent'),
    'a negative integer restockingFeePercent -5',
  ),
  R(
    'createReturnPolicy',
    'restockingFeePercent',
    12.5,
    bad400('restockingFeePercent'),
    'restockingFeePercent as a JSON float 12.5',
  ),
  R('createReturnPolicy', 'restockingFeePercent', 'abc', bad400('restockingFeePercent'), 'restockingFeePercent "abc"'),
  R('createReturnPolicy', 'restockingFeePercent', '1e2', bad400('restockingFeePercent'), 'restockingFeePercent "1e2"'),
  R(
    'createReturnPolicy',
    'holidayPurchaseStart',
    '2025-11-20',
    bad400('holidayPurchaseStart'),
    'only holidayPurchaseStart of the holiday extension',
  ),
  R(
    'createReturnPolicy',
    'holidayReturnUntil',
    '2026-01-31',
    bad400('holidayPurchaseStart'),
    'only holidayReturnUntil of the holiday extension',
  ),
  R(
    'createReturnPolicy',
    'holidayPurchaseEnd',
    20251231,
    bad400('holidayPurchaseEnd'),
    'holidayPurchaseEnd as a number',
  ),
  R('createReturnPolicy', 'allowedResolutions', [], bad400('allowedResolutions'), 'empty allowedResolutions'),
  R(
    'createReturnPolicy',
    'allowedResolutions',
    'REFUND',
    bad400('allowedResolutions'),
    'allowedResolutions as a string instead of a list',
  ),
  R(
    'createReturnPolicy',
    'allowedResolutions',
    ['REFUND', 'BARTER'],
    bad400('allowedResolutions'),
    'an unknown resolution "BARTER"',
  ),
  R('createReturnPolicy', 'shipWithinDays', 0, bad400('shipWithinDays')),
  R('createReturnPolicy', 'categories', 'FRIDGE', bad400('categories'), 'categories as a string instead of a list'),
  R('createReturnPolicy (a new retailer)', 'categories.0', '   ', bad400('categories'), 'a blank category "   "'),
  R(
    'createReturnPolicy',
    'waiveFeeWhenRetailerAtFault',
    'yes',
    bad400('waiveFeeWhenRetailerAtFault'),
    'waiveFeeWhenRetailerAtFault "yes"',
  ),
  R('createReturnPolicy', 'retailerId', sellerId, bad400('retailerId'), 'an unknown field "retailerId"'),

  // createReturnPolicy with a holiday extension: purchases 2025-11-20..2025-12-31 until 2026-01-31
  G(
    'createReturnPolicy (holiday)',
    'holidayPurchaseEnd',
    '2025-11-01',
    refused('holidayPurchaseEnd'),
    'a holidayPurchaseEnd before holidayPurchaseStart',
  ),
  G(
    'createReturnPolicy (holiday)',
    'holidayReturnUntil',
    '2025-12-01',
    refused('holidayReturnUntil'),
    'a holidayReturnUntil before holidayPurchaseEnd',
  ),
  G(
    'createReturnPolicy (holiday)',
    'holidayPurchaseStart',
    undefined,
    refused('holidayPurchaseStart'),
    'no holidayPurchaseStart (two of the three)',
  ),
  G(
    'createReturnPolicy (holiday)',
    'holidayReturnUntil',
    null,
    refused('holidayPurchaseStart'),
    'holidayReturnUntil null (two of the three)',
  ),
  G(
    'createReturnPolicy (holiday)',
    'unopenedWindowDays',
    29,
    refused('unopenedWindowDays'),
    'unopenedWindowDays 29, shorter than windowDays 30',
  ),
  R(
    'createReturnPolicy (holiday)',
    'holidayPurchaseEnd',
    '2025-11-01',
    bad400('holidayPurchaseEnd'),
    'a holidayPurchaseEnd before holidayPurchaseStart',
  ),
  R(
    'createReturnPolicy (holiday)',
    'holidayReturnUntil',
    '2025-12-01',
    bad400('holidayReturnUntil'),
    'a holidayReturnUntil before holidayPurchaseEnd',
  ),
  R(
    'createReturnPolicy (holiday)',
    'holidayPurchaseEnd',
    undefined,
    bad400('holidayPurchaseStart'),
    'no holidayPurchaseEnd (two of the three)',
  ),
  R(
    'createReturnPolicy (holiday)',
    'holidayPurchaseStart',
    '2025-13-01',
    bad400('holidayPurchaseStart'),
    'holidayPurchaseStart "2025-13-01" (no such month)',
  ),

  // requestReturn: two units of the seller, asked for yesterday
  G('requestReturn', 'lines', [], refused('lines'), 'empty lines'),
  G(
    'requestReturn',
    'lines',
    Array.from({ length: 101 }, () => line(UNKNOWN_ID)),
    refused('lines'),
    '101 lines',
  ),
  G('requestReturn', 'lines.0.unitId', 'not-a-uuid', refused('lines.0.unitId')),
  G('requestReturn', 'lines.0.unitId', SQL, refused('lines.0.unitId'), 'a unitId made of SQL'),
  G('requestReturn', 'lines.0.unitId', UNKNOWN_ID, notFound('lines.0.unitId'), 'an unknown unitId'),
  G(
    'requestReturn',
    'lines.1.unitId',
    hiddenUnit,
    notFound('lines.1.unitId'),
    'a unit of another retailer the seller cannot see',
  ),
  G('requestReturn', 'lines.1.unitId', firstUnit, invalid('lines.1.unitId'), 'the same unit on two lines'),
  G('requestReturn', 'lines.0.reason', 'BORED', mentioned('reason'), 'an unknown reason "BORED"'),
  G('requestReturn', 'lines.0.reason', 'defective', mentioned('reason'), 'a lower-case reason "defective"'),
  G('requestReturn', 'lines.0.condition', 'USED', mentioned('condition'), 'an unknown condition "USED"'),
  G(
    'requestReturn',
    'lines.0.requestedResolution',
    'CASH',
    mentioned('requestedResolution'),
    'an unknown requestedResolution "CASH"',
  ),
  G('requestReturn', 'lines.1.reason', null, mentioned('reason'), 'reason null'),
  G('requestReturn', 'requestedOn', utcDate(1), invalid('requestedOn'), 'a requestedOn in the future (tomorrow)'),
  G('requestReturn', 'requestedOn', utcDate(-30), invalid('requestedOn'), 'a requestedOn before the purchase'),
  G('requestReturn', 'requestedOn', 'yesterday', mentioned('requestedOn')),
  G('requestReturn', 'requestedOn', '2026-02-30', mentioned('requestedOn'), 'requestedOn "2026-02-30" (no such day)'),
  G('requestReturn', 'requestedOn', 20261101, mentioned('requestedOn'), 'requestedOn as a number'),
  G('requestReturn', 'note', longText(5001), refused('note')),
  G('requestReturn', 'customerName', 'Ada', mentioned('customerName'), 'an unknown field "customerName"'),
  G('requestReturn', 'lines.0.quantity', 2, mentioned('quantity'), 'an unknown nested field "lines.0.quantity"'),
  R('requestReturn', 'lines', [], bad400('lines'), 'empty lines'),
  R('requestReturn', 'lines', 'everything', bad400('lines'), 'lines as a string instead of a list'),
  R('requestReturn', 'lines.0', 'unit-1', bad400('lines.0'), 'a line that is a string instead of an object'),
  R(
    'requestReturn',
    'lines',
    Array.from({ length: 101 }, () => line(UNKNOWN_ID)),
    bad400('lines'),
    '101 lines',
  ),
  R('requestReturn', 'lines.0.unitId', 'not-a-uuid', bad400('lines.0.unitId')),
  R(
    'requestReturn',
    'lines.0.unitId',
    UNKNOWN_ID,
    notFound404('lines.0.unitId', 'UNIT_NOT_FOUND'),
    'an unknown unitId',
  ),
  R(
    'requestReturn',
    'lines.1.unitId',
    hiddenUnit,
    notFound404('lines.1.unitId', 'UNIT_NOT_FOUND'),
    'a unit of another retailer the seller cannot see',
  ),
  R('requestReturn', 'lines.1.unitId', firstUnit, bad400('lines.1.unitId'), 'the same unit on two lines'),
  R('requestReturn', 'lines.0.reason', 'BORED', bad400('lines.0.reason'), 'an unknown reason "BORED"'),
  R('requestReturn', 'lines.0.condition', 'USED', bad400('lines.0.condition'), 'an unknown condition "USED"'),
  R(
    'requestReturn',
    'lines.0.requestedResolution',
    'CASH',
    bad400('lines.0.requestedResolution'),
    'an unknown requestedResolution "CASH"',
  ),
  R('requestReturn', 'lines.1.condition', undefined, bad400('lines.1.condition'), 'no condition'),
  R('requestReturn', 'requestedOn', utcDate(1), bad400('requestedOn'), 'a requestedOn in the future (tomorrow)'),
  R('requestReturn', 'requestedOn', utcDate(-30), bad400('requestedOn'), 'a requestedOn before the purchase'),
  R('requestReturn', 'requestedOn', 'yesterday', bad400('requestedOn')),
  R('requestReturn', 'requestedOn', '2026-02-30', bad400('requestedOn'), 'requestedOn "2026-02-30" (no such day)'),
  R('requestReturn', 'requestedOn', 20261101, bad400('requestedOn'), 'requestedOn as a number'),
  R('requestReturn', 'note', longText(5001), bad400('note')),
  R('requestReturn', 'customerName', 'Ada', bad400('customerName'), 'an unknown field "customerName"'),
  R('requestReturn', 'lines.0.quantity', 2, bad400('lines.0.quantity'), 'an unknown nested field "lines.0.quantity"'),

  // transitionReturn: ship an AUTHORIZED return
  G('transitionReturn', 'returnId', 'nope', refused('returnId')),
  G('transitionReturn', 'returnId', UNKNOWN_ID, notFound('returnId'), 'an unknown returnId'),
  G('transitionReturn', 'to', 'LOST', mentioned('to'), 'an unknown status "LOST"'),
  G('transitionReturn', 'to', 'in_transit', mentioned('to'), 'a lower-case status "in_transit"'),
  G('transitionReturn', 'expectedVersion', 0, refused('expectedVersion')),
  G('transitionReturn', 'expectedVersion', -1, refused('expectedVersion')),
  G('transitionReturn', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string "1"'),
  G('transitionReturn', 'expectedVersion', 1.5, mentioned('expectedVersion')),
  G('transitionReturn', 'expectedVersion', undefined, mentioned('expectedVersion'), 'no expectedVersion'),
  G(
    'transitionReturn',
    'expectedVersion',
    2 ** 31,
    mentioned('expectedVersion'),
    'expectedVersion 2^31 (not a 32-bit Int)',
  ),
  G('transitionReturn', 'trackingNumber', '   ', refused('trackingNumber'), 'a blank trackingNumber'),
  G('transitionReturn', 'trackingNumber', '', refused('trackingNumber'), 'an empty trackingNumber'),
  G('transitionReturn', 'trackingNumber', longText(101), refused('trackingNumber')),
  G('transitionReturn', 'trackingNumber', undefined, invalid('trackingNumber'), 'shipping without a trackingNumber'),
  G('transitionReturn', 'carrier', '   ', refused('carrier'), 'a blank carrier'),
  G('transitionReturn', 'carrier', undefined, invalid('carrier'), 'shipping without a carrier'),
  G('transitionReturn', 'note', longText(5001), refused('note')),
  G('transitionReturn', 'eta', '2026-12-01', mentioned('eta'), 'an unknown field "eta"'),
  R('transitionReturn', 'returnId', 'nope', bad400('id'), 'a malformed return id in the path'),
  R(
    'transitionReturn',
    'returnId',
    NOT_A_UUID_36,
    bad400('id'),
    'a return id in the path of 36 characters that is no UUID',
  ),
  R('transitionReturn', 'returnId', UNKNOWN_ID, notFound404('returnId'), 'an unknown return id in the path'),
  R('transitionReturn', 'to', 'LOST', bad400('to'), 'an unknown status "LOST"'),
  R('transitionReturn', 'to', undefined, bad400('to'), 'no target status'),
  R('transitionReturn', 'expectedVersion', 0, bad400('expectedVersion')),
  R('transitionReturn', 'expectedVersion', '1', bad400('expectedVersion'), 'expectedVersion as a string "1"'),
  R('transitionReturn', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('transitionReturn', 'expectedVersion', null, bad400('expectedVersion'), 'expectedVersion null'),
  R(
    'transitionReturn',
    'expectedVersion',
    2 ** 31,
    bad400('expectedVersion'),
    'expectedVersion 2^31 (beyond the version column)',
  ),
  R('transitionReturn', 'trackingNumber', '   ', bad400('trackingNumber'), 'a blank trackingNumber'),
  R('transitionReturn', 'trackingNumber', 12345, bad400('trackingNumber'), 'trackingNumber as a number'),
  R('transitionReturn', 'trackingNumber', undefined, bad400('trackingNumber'), 'shipping without a trackingNumber'),
  R('transitionReturn', 'carrier', '', bad400('carrier'), 'an empty carrier'),
  R('transitionReturn', 'note', longText(5001), bad400('note')),
  R('transitionReturn', 'eta', '2026-12-01', bad400('eta'), 'an unknown field "eta"'),

  // inspectReturn: both lines of a RECEIVED return
  G('inspectReturn', 'returnId', 'nope', refused('returnId')),
  G('inspectReturn', 'returnId', UNKNOWN_ID, notFound('returnId'), 'an unknown returnId'),
  G('inspectReturn', 'lines', [], refused('lines'), 'empty lines'),
  G('inspectReturn', 'lines.0.lineId', 'nope', refused('lines.0.lineId')),
  G('inspectReturn', 'lines.0.lineId', UNKNOWN_ID, invalid('lines.0.lineId'), 'an unknown lineId'),
  G('inspectReturn', 'lines.0.lineId', otherLine, invalid('lines.0.lineId'), 'a line of another return'),
  G('inspectReturn', 'lines.1.lineId', firstLine, invalid('lines.1.lineId'), 'the same line inspected twice'),
  G('inspectReturn', 'lines.0.grade', '   ', refused('lines.0.grade'), 'a blank grade'),
  G('inspectReturn', 'lines.0.grade', longText(51), refused('lines.0.grade')),
  G('inspectReturn', 'lines.0.grade', undefined, mentioned('grade'), 'no grade'),
  G('inspectReturn', 'lines.0.condition', 'BROKEN', mentioned('condition'), 'an unknown condition "BROKEN"'),
  G('inspectReturn', 'lines.0.note', longText(5001), refused('lines.0.note')),
  G('inspectReturn', 'expectedVersion', 0, refused('expectedVersion')),
  G('inspectReturn', 'inspector', 'Ada', mentioned('inspector'), 'an unknown field "inspector"'),
  G('inspectReturn', 'lines.0.photos', ['a.jpg'], mentioned('photos'), 'an unknown nested field "lines.0.photos"'),
  R('inspectReturn', 'returnId', 'nope', bad400('id'), 'a malformed return id in the path'),
  R('inspectReturn', 'returnId', UNKNOWN_ID, notFound404('returnId'), 'an unknown return id in the path'),
  R('inspectReturn', 'lines', [], bad400('lines'), 'empty lines'),
  R('inspectReturn', 'lines', { lineId: UNKNOWN_ID }, bad400('lines'), 'lines as an object instead of a list'),
  R('inspectReturn', 'lines.0.lineId', 'nope', bad400('lines.0.lineId')),
  R('inspectReturn', 'lines.0.lineId', UNKNOWN_ID, bad400('lines.0.lineId'), 'an unknown lineId'),
  R('inspectReturn', 'lines.1.lineId', firstLine, bad400('lines.1.lineId'), 'the same line inspected twice'),
  R('inspectReturn', 'lines.0.grade', '   ', bad400('lines.0.grade'), 'a blank grade'),
  R('inspectReturn', 'lines.0.grade', 3, bad400('lines.0.grade'), 'grade as a number'),
  R('inspectReturn', 'lines.0.condition', 'BROKEN', bad400('lines.0.condition'), 'an unknown condition "BROKEN"'),
  R('inspectReturn', 'expectedVersion', -1, bad400('expectedVersion')),
  R(
    'inspectReturn',
    'expectedVersion',
    2 ** 31,
    bad400('expectedVersion'),
    'expectedVersion 2^31 (beyond the version column)',
  ),
  R('inspectReturn', 'returnId2', UNKNOWN_ID, bad400('returnId2'), 'an unknown field "returnId2"'),
  R('inspectReturn', 'lines.0.photos', ['a.jpg'], bad400('lines.0.photos'), 'an unknown nested field "lines.0.photos"'),

  // resolveReturn: line 0 refunded, line 1 exchanged for a new serial number, on an INSPECTED return
  G('resolveReturn', 'returnId', 'nope', refused('returnId')),
  G('resolveReturn', 'returnId', UNKNOWN_ID, notFound('returnId'), 'an unknown returnId'),
  G('resolveReturn', 'lines', [], refused('lines'), 'empty lines'),
  G('resolveReturn', 'lines.0.lineId', UNKNOWN_ID, invalid('lines.0.lineId'), 'an unknown lineId'),
  G('resolveReturn', 'lines.1.lineId', firstLine, invalid('lines.1.lineId'), 'the same line resolved twice'),
  G('resolveReturn', 'lines.0.resolution', 'CASH', mentioned('resolution'), 'an unknown resolution "CASH"'),
  G(
    'resolveReturn',
    'lines.1.replacementSerialNumber',
    '   ',
    refused('lines.1.replacementSerialNumber'),
    'a blank replacementSerialNumber',
  ),
  G('resolveReturn', 'lines.1.replacementSerialNumber', longText(101), refused('lines.1.replacementSerialNumber')),
  G(
    'resolveReturn',
    'lines.1.replacementSerialNumber',
    undefined,
    invalid('lines.1.replacementSerialNumber'),
    'an exchange without replacementSerialNumber',
  ),
  G(
    'resolveReturn',
    'lines.0.serviceCenterId',
    'nope',
    refused('lines.0.serviceCenterId'),
    'a malformed serviceCenterId',
  ),
  G(
    'resolveReturn',
    'lines.1',
    repairLine(unknownCenter),
    invalid('lines.1.serviceCenterId'),
    'a REPAIR at an unknown serviceCenterId',
  ),
  G(
    'resolveReturn',
    'lines.1',
    repairLine(sellerId),
    invalid('lines.1.serviceCenterId'),
    'a REPAIR at a serviceCenterId that is a retailer',
  ),
  G(
    'resolveReturn',
    'lines.1.resolution',
    'REPAIR',
    invalid('lines.1.serviceCenterId'),
    'a REPAIR without serviceCenterId',
  ),
  G('resolveReturn', 'expectedVersion', '2', mentioned('expectedVersion'), 'expectedVersion as a string "2"'),
  G('resolveReturn', 'refundMethod', 'CASH', mentioned('refundMethod'), 'an unknown field "refundMethod"'),
  R('resolveReturn', 'returnId', 'nope', bad400('id'), 'a malformed return id in the path'),
  R('resolveReturn', 'returnId', UNKNOWN_ID, notFound404('returnId'), 'an unknown return id in the path'),
  R('resolveReturn', 'lines', [], bad400('lines'), 'empty lines'),
  R('resolveReturn', 'lines.0.lineId', UNKNOWN_ID, bad400('lines.0.lineId'), 'an unknown lineId'),
  R('resolveReturn', 'lines.1.lineId', firstLine, bad400('lines.1.lineId'), 'the same line resolved twice'),
  R('resolveReturn', 'lines.0.resolution', 'CASH', bad400('lines.0.resolution'), 'an unknown resolution "CASH"'),
  R(
    'resolveReturn',
    'lines.1.replacementSerialNumber',
    '   ',
    bad400('lines.1.replacementSerialNumber'),
    'a blank replacementSerialNumber',
  ),
  R(
    'resolveReturn',
    'lines.1.replacementSerialNumber',
    12345,
    bad400('lines.1.replacementSerialNumber'),
    'replacementSerialNumber as a number',
  ),
  R(
    'resolveReturn',
    'lines.1.replacementSerialNumber',
    undefined,
    bad400('lines.1.replacementSerialNumber'),
    'an exchange without replacementSerialNumber',
  ),
  R(
    'resolveReturn',
    'lines.0.serviceCenterId',
    'nope',
    bad400('lines.0.serviceCenterId'),
    'a malformed serviceCenterId',
  ),
  R(
    'resolveReturn',
    'lines.1',
    repairLine(unknownCenter),
    bad400('lines.1.serviceCenterId'),
    'a REPAIR at an unknown serviceCenterId',
  ),
  R(
    'resolveReturn',
    'lines.1.resolution',
    'REPAIR',
    bad400('lines.1.serviceCenterId'),
    'a REPAIR without serviceCenterId',
  ),
  R('resolveReturn', 'expectedVersion', 0, bad400('expectedVersion')),
  R('resolveReturn', 'refundMethod', 'CASH', bad400('refundMethod'), 'an unknown field "refundMethod"'),
];

describe('returns bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const maker = await createTenant(t, 'MANUFACTURER');
    const seller = await createTenant(t, 'RETAILER');
    const otherSeller = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff);
    await createPolicy(t, seller, { name: 'Default', windowDays: 30 });
    const newUnit = async (by: Tenant = seller) =>
      (
        await mustRegister(t, by.staff, {
          productId: product.id,
          manufacturerId: maker.id,
          serialNumber: uniqueSerial(),
          purchaseDate: PURCHASE_DATE,
          purchasePrice: { amount: '120.00', currency: 'USD' },
        })
      ).id as string;
    const gqlApi = returnsApi(t, 'GraphQL');
    const newReturn = async (state: 'AUTHORIZED' | 'RECEIVED' | 'INSPECTED'): Promise<ReturnRef> => {
      let rma = expectReturn(
        await gqlApi.request(seller.staff, {
          lines: [
            { unitId: await newUnit(), reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' },
            { unitId: await newUnit(), reason: 'DEFECTIVE', condition: 'OPENED', requestedResolution: 'EXCHANGE' },
          ],
        }),
      );
      if (rma.status !== 'AUTHORIZED') throw new Error(`the baseline return is not authorized: ${JSON.stringify(rma)}`);
      if (state !== 'AUTHORIZED')
        rma = expectReturn(
          await gqlApi.transition(seller.staff, rma.id, { to: 'RECEIVED', expectedVersion: rma.version }),
        );
      if (state === 'INSPECTED') {
        rma = expectReturn(
          await gqlApi.inspect(seller.staff, rma.id, {
            expectedVersion: rma.version,
            lines: rma.lines.map((l) => ({ lineId: l.id, grade: 'B', condition: 'OPENED' })),
          }),
        );
      }
      return { id: rma.id, version: rma.version, lineIds: rma.lines.map((l) => l.id) };
    };

    // refused cases change nothing, so a fixture is made again only once a baseline used it up
    let categories = 0;
    const kept: Partial<Record<string, ReturnRef>> = {};
    let keptUnits: string[] | null = null;
    freshOf = async (what, current) => {
      if (what === 'category') return { ...current, category: `BAD-INPUT-${++categories}`, serial: uniqueSerial() };
      if (what === 'retailer')
        return { ...current, category: `BAD-INPUT-${++categories}`, newRetailer: await createTenant(t, 'RETAILER') };
      if (what === 'units') {
        const used =
          keptUnits &&
          (await sqlQuery(t, `SELECT 1 FROM return_lines WHERE unit_id = ANY($1::uuid[])`, [keptUnits])).length > 0;
        if (!keptUnits || used) keptUnits = [await newUnit(), await newUnit()];
        return { ...current, units: keptUnits };
      }
      const previous = kept[what];
      const [stored] = previous
        ? await sqlQuery(t, `SELECT status, version FROM return_authorizations WHERE id = $1`, [previous.id])
        : [];
      if (!previous || stored?.status !== what || stored?.version !== previous.version)
        kept[what] = await newReturn(what);
      return { ...current, rma: kept[what]!, serial: uniqueSerial() };
    };

    const other = await newReturn('AUTHORIZED');
    f = {
      seller,
      otherSeller,
      category: 'UNUSED',
      units: [],
      hiddenUnitId: await newUnit(otherSeller),
      rma: { id: UNKNOWN_ID, version: 1, lineIds: [] },
      otherLineId: other.lineIds[0],
      serial: uniqueSerial(),
      newRetailer: otherSeller,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: returnTableCounts });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer, via) => {
    const policy = op.startsWith('createReturnPolicy');
    if (via === 'GraphQL') {
      expect({ op, typename: answer.__typename ?? 'ReturnPolicy', status: answer.status }).toEqual({
        op,
        typename: policy ? 'ReturnPolicy' : 'ReturnAuthorization',
        status: expect.not.stringMatching(/REJECTED/),
      });
    } else if (!policy) {
      expect({ op, status: answer.status }).toEqual({ op, status: expect.not.stringMatching(/REJECTED/) });
    }
  });

  it('a unit id in upper case is the same unit (UUIDs are case-insensitive): accepted over GraphQL and REST; the same unit in two spellings is the same unit twice', async () => {
    for (const via of ['GraphQL', 'REST'] as const) {
      const fixtures = await OPS.requestReturn.setup!(f);
      const [first, second] = fixtures.units;
      const before = await returnTableCounts(t);
      const twice = await callOp({ ops: OPS, app: () => t, fixtures: () => fixtures }, fixtures, 'requestReturn', via, {
        lines: [line(first), line(first.toUpperCase())],
      });
      const refusal = twice.gqlRes
        ? (twice.gqlRes.data?.requestReturn ?? twice.gqlRes.errors?.[0]?.extensions)
        : twice.restRes.body;
      expect({ via, errorCode: refusal?.errorCode, field: refusal?.field }).toEqual({
        via,
        errorCode: 'VALIDATION_ERROR',
        field: 'lines.1.unitId',
      });
      expect(await returnTableCounts(t)).toEqual(before);
      const outcome = await returnsApi(t, via).request(f.seller.staff, {
        lines: [line(first.toUpperCase()), line(second)],
      });
      expect({ via, status: outcome.rma?.status, failure: outcome.failure }).toEqual({
        via,
        status: 'AUTHORIZED',
        failure: undefined,
      });
      expect(outcome.rma!.lines.map((l) => l.unitId)).toEqual([first, second]);
    }
  });

  it('the baselines do what they say: a policy with the holiday extension as given, a return AUTHORIZED, shipped, inspected, resolved', async () => {
    const policyFixtures = await OPS['createReturnPolicy (holiday)'].setup!(f);
    const policy = await gqlPolicy(t, policyFixtures);
    expect(policy).toMatchObject({
      categories: [policyFixtures.category],
      windowDays: 30,
      unopenedWindowDays: 45,
      restockingFeePercent: '15',
      allowedResolutions: ['REFUND', 'EXCHANGE'],
      holidayPurchaseStart: '2025-11-20',
      holidayPurchaseEnd: '2025-12-31',
      holidayReturnUntil: '2026-01-31',
      shipWithinDays: 14,
      windowStartsFrom: 'PURCHASE_DATE',
    });
    const api = returnsApi(t, 'REST');
    const resolveFixtures = await OPS.resolveReturn.setup!(f);
    const { returnId, ...body } = OPS.resolveReturn.valid(resolveFixtures);
    const resolved = expectReturn(await api.resolve(f.seller.staff, returnId, body));
    expect({ status: resolved.status, resolutions: resolved.lines.map((l) => l.resolution) }).toEqual({
      status: 'RESOLVED',
      resolutions: ['REFUND', 'EXCHANGE'],
    });
  });
});

async function gqlPolicy(t: TestApp, f: Fixtures) {
  const res = await gql(
    t,
    f.seller.staff,
    `mutation($input: CreateReturnPolicyInput!) { createReturnPolicy(input: $input) {
    categories windowDays unopenedWindowDays restockingFeePercent allowedResolutions holidayPurchaseStart holidayPurchaseEnd holidayReturnUntil shipWithinDays windowStartsFrom } }`,
    { input: OPS['createReturnPolicy (holiday)'].valid(f) },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createReturnPolicy;
}
