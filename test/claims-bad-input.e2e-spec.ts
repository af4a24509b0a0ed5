import { assertSuccess, createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import {
  bad400,
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
import { REVIEW_CLAIM, SUBMIT_CLAIM, USD_LINES } from './support/claims-client.js';
import { longText, sqlQuery, tableCounts, utcDate } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister } from './support/units-helpers.js';

/**
 * Malformed input to the warranty-claim operations and the batch coverage check, over GraphQL
 * (variables) and REST (JSON bodies). docs/rules.md, "Always": bad input is a clear error naming the
 * field, and nothing is stored; "Dates and money": amounts in different currencies are never
 * added (VALIDATION_ERROR); "Warranty claims": a rejection needs a reason code, the approved
 * total is never above the requested total. README, "Errors": GraphQL answers extensions.code
 * BAD_USER_INPUT (or a GenericError union member), REST answers problem+json with `code` and
 * `field` (400 invalid input, 422 refused by a rule); an unknown unit is NOT_FOUND (404).
 */

interface ClaimRef {
  id: string;
  version: number;
}

interface Fixtures {
  maker: Tenant;
  seller: Tenant;
  unit: { id: string; serialNumber: string };
  /** The claim a review, answer or cancel case acts on, made fresh for each case by the op's setup. */
  claim: ClaimRef;
  /** A new claim of the seller on the unit: SUBMITTED, or moved to NEEDS_INFO by the manufacturer. */
  newClaim: (status: 'SUBMITTED' | 'NEEDS_INFO') => Promise<ClaimRef>;
}

type OpName =
  | 'submitWarrantyClaim'
  | 'reviewWarrantyClaim'
  | 'reviewWarrantyClaim (REJECT)'
  | 'answerClaimInfoRequest'
  | 'cancelWarrantyClaim'
  | 'warrantyCoverages';

const CLAIM = `id status version`;
const SUBMIT_RESULT = `{ __typename ... on WarrantyClaim { ${CLAIM} } ... on GenericError { errorCode message field } }`;
const CHANGE_RESULT = `{ __typename ... on WarrantyClaim { ${CLAIM} } ... on GenericError { errorCode message field }
  ... on VersionConflictError { errorCode message currentVersion } ... on InvalidStateTransitionError { errorCode message fromState toState } }`;
const REVIEW = `mutation($input: ReviewWarrantyClaimInput!) { reviewWarrantyClaim(input: $input) ${CHANGE_RESULT} }`;

/** Purchased 60 days ago with 24 months of PARTS and LABOR: a failure 3 days ago is covered. */
const PURCHASE_DATE = utcDate(-60);
const FAILURE_DATE = utcDate(-3);
const tomorrow = utcDate(1);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const SQL = "'; DROP TABLE warranty_claims; --";
/** Σ of USD_LINES: 120.50 + 1.5 × 80.00. */
const REQUESTED = '240.50';

/** REST body of a custom action on a claim: the claim comes from the path. */
const claimAction =
  (action: string) =>
  ({ claimId, ...body }: Record<string, any>) => ({ path: `/warranty-claims/${claimId}:${action}`, body });
const freshClaim =
  (status: 'SUBMITTED' | 'NEEDS_INFO') =>
  async (f: Fixtures): Promise<Fixtures> => ({ ...f, claim: await f.newClaim(status) });

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  submitWarrantyClaim: {
    mutation: `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) ${SUBMIT_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      unitId: f.unit.id,
      failureCategory: 'MECHANICAL',
      failureDate: FAILURE_DATE,
      description: 'Does not cool',
      lines: USD_LINES,
    }),
    rest: (input) => ({ path: '/warranty-claims', body: input }),
    restStatus: 201,
  },
  reviewWarrantyClaim: {
    mutation: REVIEW,
    key: (f) => f.maker.staff,
    valid: (f) => ({
      claimId: f.claim.id,
      decision: 'APPROVE',
      approvedTotal: { amount: '200.00', currency: 'USD' },
      note: 'Approved in part',
      expectedVersion: f.claim.version,
    }),
    rest: claimAction('review'),
    restStatus: 200,
    setup: freshClaim('SUBMITTED'),
  },
  'reviewWarrantyClaim (REJECT)': {
    mutation: REVIEW,
    key: (f) => f.maker.staff,
    valid: (f) => ({
      claimId: f.claim.id,
      decision: 'REJECT',
      reasonCode: 'NO_FAULT_FOUND',
      note: 'Works as designed',
      expectedVersion: f.claim.version,
    }),
    rest: claimAction('review'),
    restStatus: 200,
    resultField: 'reviewWarrantyClaim',
    setup: freshClaim('SUBMITTED'),
  },
  answerClaimInfoRequest: {
    mutation: `mutation($input: AnswerClaimInfoRequestInput!) { answerClaimInfoRequest(input: $input) ${CHANGE_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({
      claimId: f.claim.id,
      note: 'Photos of the compressor attached',
      expectedVersion: f.claim.version,
    }),
    rest: claimAction('answer'),
    restStatus: 200,
    setup: freshClaim('NEEDS_INFO'),
  },
  cancelWarrantyClaim: {
    mutation: `mutation($input: CancelWarrantyClaimInput!) { cancelWarrantyClaim(input: $input) ${CHANGE_RESULT} }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({ claimId: f.claim.id, note: 'The customer withdrew the claim', expectedVersion: f.claim.version }),
    rest: claimAction('cancel'),
    restStatus: 200,
    setup: freshClaim('SUBMITTED'),
  },
  warrantyCoverages: {
    mutation: `query($queries: [CoverageQuery!]!) { warrantyCoverages(queries: $queries) { serialNumber covered reasons } }`,
    // coverage checks are open to every organization, read-only keys included
    key: (f) => f.seller.readonly,
    valid: (f) => ({
      queries: [
        { serialNumber: f.unit.serialNumber, asOf: FAILURE_DATE, failureCategory: 'MECHANICAL' },
        { serialNumber: 'UNKNOWN-SERIAL-1' },
      ],
    }),
    variables: (input) => input,
    rest: (input) => ({ path: '/coverage:batch', body: input }),
    restStatus: 200,
  },
};

const notFound = (field: string): GqlRefusal => ({ error: 'NOT_FOUND', field });
const notFound404 = (field: string, errorCode: string): RestRefusal => ({
  status: 404,
  code: 'NOT_FOUND',
  errorCode,
  field,
});
/** A rule about the whole input (not one value's shape): a GenericError VALIDATION_ERROR member over GraphQL. */
const invalid = (field: string) => ({ result: 'VALIDATION_ERROR', field });

const checks = (n: number) => Array.from({ length: n }, (_, i) => ({ serialNumber: `BATCH-${i}` }));

const CASES: BadCase<OpName>[] = [
  // submitWarrantyClaim
  G('submitWarrantyClaim', 'unitId', 'not-a-uuid', refused('unitId')),
  G('submitWarrantyClaim', 'unitId', SQL, refused('unitId'), 'a unitId made of SQL'),
  G('submitWarrantyClaim', 'unitId', UNKNOWN_ID, notFound('unitId'), 'an unknown unitId'),
  G('submitWarrantyClaim', 'failureDate', 'last tuesday', mentioned('failureDate')),
  G('submitWarrantyClaim', 'failureDate', '22/11/2026', mentioned('failureDate')),
  G('submitWarrantyClaim', 'failureDate', 20261101, mentioned('failureDate'), 'failureDate as a number'),
  G(
    'submitWarrantyClaim',
    'failureDate',
    '2026-02-30',
    mentioned('failureDate'),
    'failureDate "2026-02-30" (no such day)',
  ),
  G('submitWarrantyClaim', 'failureDate', tomorrow, invalid('failureDate'), 'a failureDate in the future'),
  G(
    'submitWarrantyClaim',
    'failureCategory',
    'EARTHQUAKE',
    mentioned('failureCategory'),
    'an unknown failureCategory "EARTHQUAKE"',
  ),
  G('submitWarrantyClaim', 'lines', [], refused('lines'), 'empty lines'),
  G(
    'submitWarrantyClaim',
    'lines',
    Array.from({ length: 201 }, () => USD_LINES[0]),
    refused('lines'),
    '201 lines',
  ),
  G('submitWarrantyClaim', 'lines.0.quantity', '0', refused('lines.0.quantity')),
  G('submitWarrantyClaim', 'lines.0.quantity', '0.000', refused('lines.0.quantity')),
  G('submitWarrantyClaim', 'lines.0.quantity', '-1', mentioned('quantity')),
  G('submitWarrantyClaim', 'lines.0.quantity', -1, mentioned('quantity'), 'a negative integer quantity -1'),
  G('submitWarrantyClaim', 'lines.0.quantity', 1.5, mentioned('quantity'), 'quantity as a JSON float 1.5'),
  G('submitWarrantyClaim', 'lines.0.kind', 'GIFT', mentioned('kind'), 'an unknown line kind "GIFT"'),
  G('submitWarrantyClaim', 'lines.0.description', '   ', refused('lines.0.description'), 'a blank line description'),
  G(
    'submitWarrantyClaim',
    'lines.0.unitAmount.amount',
    120.5,
    mentioned('amount'),
    'unitAmount.amount as a JSON float 120.5',
  ),
  G('submitWarrantyClaim', 'lines.0.unitAmount.amount', '-120.50', refused('lines.0.unitAmount.amount')),
  G(
    'submitWarrantyClaim',
    'lines.0.unitAmount.amount',
    -5,
    refused('lines.0.unitAmount.amount'),
    'a negative integer amount',
  ),
  G('submitWarrantyClaim', 'lines.0.unitAmount.currency', 'XYZ', refused('lines.0.unitAmount.currency')),
  G('submitWarrantyClaim', 'lines.0.unitAmount.currency', 'usd', refused('lines.0.unitAmount.currency')),
  G(
    'submitWarrantyClaim',
    'lines.1.unitAmount.currency',
    'EUR',
    invalid('lines.1.unitAmount.currency'),
    'lines in two currencies (USD, then EUR)',
  ),
  G('submitWarrantyClaim', 'description', longText(), refused('description')),
  G('submitWarrantyClaim', 'description', '   ', refused('description'), 'a blank description'),
  G('submitWarrantyClaim', 'priority', 'HIGH', mentioned('priority'), 'an unknown field "priority"'),
  G('submitWarrantyClaim', 'lines.0.color', 'red', mentioned('color'), 'an unknown nested field "lines.0.color"'),
  R('submitWarrantyClaim', 'unitId', 'not-a-uuid', bad400('unitId')),
  R('submitWarrantyClaim', 'unitId', SQL, bad400('unitId'), 'a unitId made of SQL'),
  R('submitWarrantyClaim', 'unitId', UNKNOWN_ID, notFound404('unitId', 'UNIT_NOT_FOUND'), 'an unknown unitId'),
  R('submitWarrantyClaim', 'failureDate', 'last tuesday', bad400('failureDate')),
  R('submitWarrantyClaim', 'failureDate', 20261101, bad400('failureDate'), 'failureDate as a number'),
  R(
    'submitWarrantyClaim',
    'failureDate',
    '2026-02-30',
    bad400('failureDate'),
    'failureDate "2026-02-30" (no such day)',
  ),
  R('submitWarrantyClaim', 'failureDate', tomorrow, bad400('failureDate'), 'a failureDate in the future'),
  R(
    'submitWarrantyClaim',
    'failureCategory',
    'EARTHQUAKE',
    bad400('failureCategory'),
    'an unknown failureCategory "EARTHQUAKE"',
  ),
  R('submitWarrantyClaim', 'lines', [], bad400('lines'), 'empty lines'),
  R('submitWarrantyClaim', 'lines', USD_LINES[0], bad400('lines'), 'lines as an object instead of an array'),
  R(
    'submitWarrantyClaim',
    'lines',
    Array.from({ length: 201 }, () => USD_LINES[0]),
    bad400('lines'),
    '201 lines',
  ),
  R('submitWarrantyClaim', 'lines.0.quantity', '0', bad400('lines.0.quantity')),
  R('submitWarrantyClaim', 'lines.0.quantity', '-1', bad400('lines.0.quantity')),
  R('submitWarrantyClaim', 'lines.0.quantity', -1, bad400('lines.0.quantity'), 'a negative integer quantity -1'),
  R('submitWarrantyClaim', 'lines.0.quantity', 1.5, bad400('lines.0.quantity'), 'quantity as a JSON float 1.5'),
  R('submitWarrantyClaim', 'lines.0.kind', 'GIFT', bad400('lines.0.kind'), 'an unknown line kind "GIFT"'),
  R('submitWarrantyClaim', 'lines.0', 'Compressor', bad400('lines.0'), 'a line that is a string instead of an object'),
  R(
    'submitWarrantyClaim',
    'lines.0.unitAmount.amount',
    120.5,
    bad400('lines.0.unitAmount.amount'),
    'unitAmount.amount as a JSON float 120.5',
  ),
  R('submitWarrantyClaim', 'lines.0.unitAmount.amount', '-120.50', bad400('lines.0.unitAmount.amount')),
  R('submitWarrantyClaim', 'lines.0.unitAmount.amount', '1e3', bad400('lines.0.unitAmount.amount')),
  R('submitWarrantyClaim', 'lines.0.unitAmount.currency', 'XYZ', bad400('lines.0.unitAmount.currency')),
  R('submitWarrantyClaim', 'lines.0.unitAmount.currency', 'usd', bad400('lines.0.unitAmount.currency')),
  R(
    'submitWarrantyClaim',
    'lines.1.unitAmount.currency',
    'EUR',
    bad400('lines.1.unitAmount.currency'),
    'lines in two currencies (USD, then EUR)',
  ),
  R('submitWarrantyClaim', 'description', longText(), bad400('description')),
  R('submitWarrantyClaim', 'description', 42, bad400('description'), 'description as a number'),
  R('submitWarrantyClaim', 'priority', 'HIGH', bad400('priority'), 'an unknown field "priority"'),
  R('submitWarrantyClaim', 'lines.0.color', 'red', bad400('lines.0.color'), 'an unknown nested field "lines.0.color"'),

  // reviewWarrantyClaim: the baseline approves 200.00 USD of the 240.50 USD requested
  G('reviewWarrantyClaim', 'decision', 'MAYBE', mentioned('decision'), 'an unknown decision "MAYBE"'),
  G('reviewWarrantyClaim', 'decision', 'approve', mentioned('decision'), 'a lower-case decision "approve"'),
  G(
    'reviewWarrantyClaim',
    'decision',
    'REQUEST_INFO',
    invalid('approvedTotal'),
    'an approvedTotal with decision REQUEST_INFO',
  ),
  G(
    'reviewWarrantyClaim',
    'decision',
    'MARK_PAID',
    invalid('approvedTotal'),
    'an approvedTotal with decision MARK_PAID',
  ),
  G(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    '240.51',
    invalid('approvedTotal.amount'),
    `an approvedTotal of 240.51 above the requested ${REQUESTED}`,
  ),
  G(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    1000,
    invalid('approvedTotal.amount'),
    'an integer approvedTotal of 1000 above the requested total',
  ),
  G(
    'reviewWarrantyClaim',
    'approvedTotal.currency',
    'EUR',
    invalid('approvedTotal.currency'),
    'an approvedTotal in EUR on a USD claim',
  ),
  G('reviewWarrantyClaim', 'approvedTotal.currency', 'XYZ', refused('approvedTotal.currency')),
  G('reviewWarrantyClaim', 'approvedTotal.amount', '-1.00', refused('approvedTotal.amount')),
  G(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    200.5,
    mentioned('amount'),
    'approvedTotal.amount as a JSON float 200.5',
  ),
  G('reviewWarrantyClaim', 'expectedVersion', 0, refused('expectedVersion')),
  G('reviewWarrantyClaim', 'expectedVersion', -1, refused('expectedVersion')),
  G('reviewWarrantyClaim', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string "1"'),
  G('reviewWarrantyClaim', 'expectedVersion', 1.5, mentioned('expectedVersion')),
  G('reviewWarrantyClaim', 'note', longText(), refused('note')),
  G('reviewWarrantyClaim', 'claimId', 'nope', refused('claimId')),
  G('reviewWarrantyClaim', 'approvedBy', 'Ada', mentioned('approvedBy'), 'an unknown field "approvedBy"'),
  R('reviewWarrantyClaim', 'decision', 'MAYBE', bad400('decision'), 'an unknown decision "MAYBE"'),
  R('reviewWarrantyClaim', 'decision', 'approve', bad400('decision'), 'a lower-case decision "approve"'),
  R(
    'reviewWarrantyClaim',
    'decision',
    'REQUEST_INFO',
    bad400('approvedTotal'),
    'an approvedTotal with decision REQUEST_INFO',
  ),
  R(
    'reviewWarrantyClaim',
    'decision',
    'MARK_PAID',
    bad400('approvedTotal'),
    'an approvedTotal with decision MARK_PAID',
  ),
  R(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    '240.51',
    bad400('approvedTotal.amount'),
    `an approvedTotal of 240.51 above the requested ${REQUESTED}`,
  ),
  R(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    1000,
    bad400('approvedTotal.amount'),
    'an integer approvedTotal of 1000 above the requested total',
  ),
  R(
    'reviewWarrantyClaim',
    'approvedTotal.currency',
    'EUR',
    bad400('approvedTotal.currency'),
    'an approvedTotal in EUR on a USD claim',
  ),
  R('reviewWarrantyClaim', 'approvedTotal.currency', 'XYZ', bad400('approvedTotal.currency')),
  R('reviewWarrantyClaim', 'approvedTotal.amount', '-1.00', bad400('approvedTotal.amount')),
  R(
    'reviewWarrantyClaim',
    'approvedTotal.amount',
    200.5,
    bad400('approvedTotal.amount'),
    'approvedTotal.amount as a JSON float 200.5',
  ),
  R(
    'reviewWarrantyClaim',
    'approvedTotal',
    [{ amount: '200.00', currency: 'USD' }],
    bad400('approvedTotal'),
    'approvedTotal as an array instead of an object',
  ),
  R('reviewWarrantyClaim', 'expectedVersion', 0, bad400('expectedVersion')),
  R('reviewWarrantyClaim', 'expectedVersion', -1, bad400('expectedVersion')),
  R('reviewWarrantyClaim', 'expectedVersion', '1', bad400('expectedVersion'), 'expectedVersion as a string "1"'),
  R('reviewWarrantyClaim', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('reviewWarrantyClaim', 'expectedVersion', undefined, bad400('expectedVersion'), 'no expectedVersion'),
  R('reviewWarrantyClaim', 'note', longText(), bad400('note')),
  R('reviewWarrantyClaim', 'approvedBy', 'Ada', bad400('approvedBy'), 'an unknown field "approvedBy"'),

  // reviewWarrantyClaim, rejecting: the baseline rejects with reason code NO_FAULT_FOUND
  G('reviewWarrantyClaim (REJECT)', 'reasonCode', undefined, invalid('reasonCode'), 'a REJECT without a reasonCode'),
  G('reviewWarrantyClaim (REJECT)', 'reasonCode', null, invalid('reasonCode'), 'a REJECT with reasonCode null'),
  G('reviewWarrantyClaim (REJECT)', 'reasonCode', '', refused('reasonCode'), 'a REJECT with an empty reasonCode'),
  G('reviewWarrantyClaim (REJECT)', 'reasonCode', '   ', refused('reasonCode'), 'a REJECT with a blank reasonCode'),
  G(
    'reviewWarrantyClaim (REJECT)',
    'approvedTotal',
    { amount: '100.00', currency: 'USD' },
    invalid('approvedTotal'),
    'a REJECT with an approvedTotal',
  ),
  R('reviewWarrantyClaim (REJECT)', 'reasonCode', undefined, bad400('reasonCode'), 'a REJECT without a reasonCode'),
  R('reviewWarrantyClaim (REJECT)', 'reasonCode', null, bad400('reasonCode'), 'a REJECT with reasonCode null'),
  R('reviewWarrantyClaim (REJECT)', 'reasonCode', '', bad400('reasonCode'), 'a REJECT with an empty reasonCode'),
  R('reviewWarrantyClaim (REJECT)', 'reasonCode', '   ', bad400('reasonCode'), 'a REJECT with a blank reasonCode'),
  R('reviewWarrantyClaim (REJECT)', 'reasonCode', longText(), bad400('reasonCode')),
  R(
    'reviewWarrantyClaim (REJECT)',
    'approvedTotal',
    { amount: '100.00', currency: 'USD' },
    bad400('approvedTotal'),
    'a REJECT with an approvedTotal',
  ),

  // answerClaimInfoRequest: the baseline answers a claim in NEEDS_INFO
  G('answerClaimInfoRequest', 'note', '', refused('note'), 'an empty note'),
  G('answerClaimInfoRequest', 'note', '   ', refused('note'), 'a blank note'),
  G('answerClaimInfoRequest', 'note', undefined, mentioned('note'), 'no note'),
  G('answerClaimInfoRequest', 'note', null, mentioned('note'), 'note null'),
  G('answerClaimInfoRequest', 'note', longText(), refused('note')),
  G('answerClaimInfoRequest', 'expectedVersion', 0, refused('expectedVersion')),
  G('answerClaimInfoRequest', 'expectedVersion', 'two', mentioned('expectedVersion')),
  G('answerClaimInfoRequest', 'attachments', ['photo.jpg'], mentioned('attachments'), 'an unknown field "attachments"'),
  R('answerClaimInfoRequest', 'note', '', bad400('note'), 'an empty note'),
  R('answerClaimInfoRequest', 'note', '   ', bad400('note'), 'a blank note'),
  R('answerClaimInfoRequest', 'note', undefined, bad400('note'), 'no note'),
  R('answerClaimInfoRequest', 'note', null, bad400('note'), 'note null'),
  R('answerClaimInfoRequest', 'note', longText(), bad400('note')),
  R('answerClaimInfoRequest', 'expectedVersion', 0, bad400('expectedVersion')),
  R('answerClaimInfoRequest', 'expectedVersion', 'two', bad400('expectedVersion')),
  R('answerClaimInfoRequest', 'attachments', ['photo.jpg'], bad400('attachments'), 'an unknown field "attachments"'),

  // cancelWarrantyClaim: the baseline cancels a SUBMITTED claim
  G('cancelWarrantyClaim', 'expectedVersion', 0, refused('expectedVersion')),
  G('cancelWarrantyClaim', 'expectedVersion', -1, refused('expectedVersion')),
  G('cancelWarrantyClaim', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string "1"'),
  G('cancelWarrantyClaim', 'expectedVersion', 1.5, mentioned('expectedVersion')),
  G('cancelWarrantyClaim', 'expectedVersion', null, mentioned('expectedVersion'), 'expectedVersion null'),
  G('cancelWarrantyClaim', 'expectedVersion', undefined, mentioned('expectedVersion'), 'no expectedVersion'),
  G('cancelWarrantyClaim', 'note', longText(), refused('note')),
  R('cancelWarrantyClaim', 'expectedVersion', 0, bad400('expectedVersion')),
  R('cancelWarrantyClaim', 'expectedVersion', -1, bad400('expectedVersion')),
  R('cancelWarrantyClaim', 'expectedVersion', '1', bad400('expectedVersion'), 'expectedVersion as a string "1"'),
  R('cancelWarrantyClaim', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('cancelWarrantyClaim', 'expectedVersion', null, bad400('expectedVersion'), 'expectedVersion null'),
  R('cancelWarrantyClaim', 'expectedVersion', undefined, bad400('expectedVersion'), 'no expectedVersion'),
  R('cancelWarrantyClaim', 'note', longText(), bad400('note')),

  // warrantyCoverages and POST /coverage:batch: up to 500 checks
  G('warrantyCoverages', 'queries', checks(501), refused('queries'), '501 checks'),
  G('warrantyCoverages', 'queries.0.serialNumber', 12345, mentioned('serialNumber'), 'a serialNumber as a number'),
  G('warrantyCoverages', 'queries.0.serialNumber', '   ', refused('queries.0.serialNumber'), 'a blank serialNumber'),
  G('warrantyCoverages', 'queries.0.serialNumber', longText(101), refused('queries.0.serialNumber')),
  G('warrantyCoverages', 'queries.0.asOf', 'yesterday', mentioned('asOf')),
  G('warrantyCoverages', 'queries.0.asOf', '2026-02-30', mentioned('asOf'), 'asOf "2026-02-30" (no such day)'),
  G(
    'warrantyCoverages',
    'queries.0.failureCategory',
    'FIRE',
    mentioned('failureCategory'),
    'an unknown failureCategory "FIRE"',
  ),
  G('warrantyCoverages', 'queries.0.manufacturerId', 'nope', refused('queries.0.manufacturerId')),
  G('warrantyCoverages', 'queries.1.color', 'red', mentioned('color'), 'an unknown field "queries.1.color"'),
  R('warrantyCoverages', 'queries', checks(501), bad400('queries'), '501 checks'),
  R('warrantyCoverages', 'queries', 'SN-1', bad400('queries'), 'queries as a string instead of a list'),
  R('warrantyCoverages', 'queries.0', 'SN-1', bad400('queries.0'), 'a check that is a string instead of an object'),
  R(
    'warrantyCoverages',
    'queries.0.serialNumber',
    12345,
    bad400('queries.0.serialNumber'),
    'a serialNumber as a number',
  ),
  R('warrantyCoverages', 'queries.0.serialNumber', '   ', bad400('queries.0.serialNumber'), 'a blank serialNumber'),
  R('warrantyCoverages', 'queries.0.asOf', 'yesterday', bad400('queries.0.asOf')),
  R('warrantyCoverages', 'queries.0.asOf', '2026-02-30', bad400('queries.0.asOf'), 'asOf "2026-02-30" (no such day)'),
  R('warrantyCoverages', 'queries.0.asOf', 20261101, bad400('queries.0.asOf'), 'asOf as a number'),
  R(
    'warrantyCoverages',
    'queries.0.failureCategory',
    'FIRE',
    bad400('queries.0.failureCategory'),
    'an unknown failureCategory "FIRE"',
  ),
  R('warrantyCoverages', 'queries.0.manufacturerId', 'nope', bad400('queries.0.manufacturerId')),
  R('warrantyCoverages', 'queries.1.color', 'red', bad400('queries.1.color'), 'an unknown field "queries.1.color"'),
];

/** Row counts of the written tables, the claim tables and the idempotency keys, with the claims' versions (any change bumps one). */
async function claimTableCounts(t: TestApp) {
  const [claims] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions FROM warranty_claims`,
  );
  const [history] = await sqlQuery(t, `SELECT count(*)::int AS n FROM warranty_claim_history`);
  const [keys] = await sqlQuery(t, `SELECT count(*)::int AS n FROM idempotency_keys`);
  return {
    ...(await tableCounts(t)),
    warranty_claims: claims.n,
    warranty_claim_versions: claims.versions,
    warranty_claim_history: history.n,
    idempotency_keys: keys.n,
  };
}

describe('claims and coverage bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const maker = await createTenant(t, 'MANUFACTURER');
    const seller = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff, {
      warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
    });
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      manufacturerId: maker.id,
      serialNumber: uniqueSerial(),
      purchaseDate: PURCHASE_DATE,
    });
    const newClaim = async (status: 'SUBMITTED' | 'NEEDS_INFO'): Promise<ClaimRef> => {
      const submitted = await gql(t, seller.staff, SUBMIT_CLAIM, { input: OPS.submitWarrantyClaim.valid(f) });
      if (submitted.errors) throw new Error(JSON.stringify(submitted.errors));
      const claim = assertSuccess(submitted.data.submitWarrantyClaim, 'WarrantyClaim');
      if (claim.status !== 'SUBMITTED') throw new Error(`the baseline claim is not covered: ${JSON.stringify(claim)}`);
      if (status === 'SUBMITTED') return { id: claim.id, version: claim.version };
      const asked = await gql(t, maker.staff, REVIEW_CLAIM, {
        input: { claimId: claim.id, decision: 'REQUEST_INFO', note: 'Send photos', expectedVersion: claim.version },
      });
      const needsInfo = assertSuccess(asked.data?.reviewWarrantyClaim, 'WarrantyClaim');
      return { id: needsInfo.id, version: needsInfo.version };
    };
    f = {
      maker,
      seller,
      unit: { id: unit.id, serialNumber: unit.serialNumber },
      claim: { id: UNKNOWN_ID, version: 1 },
      newClaim,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: claimTableCounts });

  it('submitWarrantyClaim: an Idempotency-Key of 256 characters is refused with 400 naming "Idempotency-Key" over GraphQL and REST, and nothing is stored', async () => {
    const headers = { 'idempotency-key': 'k'.repeat(256) };
    const before = await claimTableCounts(t);
    const viaGql = await gql(
      t,
      f.seller.staff,
      OPS.submitWarrantyClaim.mutation,
      { input: OPS.submitWarrantyClaim.valid(f) },
      headers,
    );
    let viaRest = rest(t, f.seller.staff).post('/warranty-claims', OPS.submitWarrantyClaim.valid(f));
    for (const [name, value] of Object.entries(headers)) viaRest = viaRest.set(name, value);
    const restRes = await viaRest;
    expect(await claimTableCounts(t)).toEqual(before);
    expect(viaGql.data?.submitWarrantyClaim ?? null).toBeNull();
    expect({
      status: viaGql.status,
      code: viaGql.errors?.[0]?.extensions?.code,
      field: viaGql.errors?.[0]?.extensions?.field,
    }).toEqual({ status: 400, code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
    expect({ status: restRes.status, contentType: restRes.headers['content-type'] }).toEqual({
      status: 400,
      contentType: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(restRes.body).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });

  it('an integer quantity (2) is accepted over GraphQL and REST alike and stored as "2" (Decimal takes exact JSON integers, as for money)', async () => {
    const input = withQuantity(OPS.submitWarrantyClaim.valid(f), 2);
    const viaGql = await gql(
      t,
      f.seller.staff,
      `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) {
      __typename ... on WarrantyClaim { lines { quantity total { amount } } } ... on GenericError { errorCode field } } }`,
      { input },
    );
    expect(viaGql.errors).toBeUndefined();
    expect(viaGql.data.submitWarrantyClaim.lines[0]).toEqual({ quantity: '2', total: { amount: '241.00' } });
    const viaRest = await rest(t, f.seller.staff).post('/warranty-claims', input);
    expect({ status: viaRest.status, field: viaRest.body.field, detail: viaRest.body.detail }).toEqual({
      status: 201,
      field: undefined,
      detail: undefined,
    });
    expect(viaRest.body.lines[0]).toMatchObject({ quantity: '2', total: { amount: '241.00', currency: 'USD' } });
  });

  it('an empty list of checks is answered with an empty list over GraphQL and REST (up to 500 checks, answered in order: zero is not refused)', async () => {
    const viaGql = await gql(t, f.seller.readonly, OPS.warrantyCoverages.mutation, { queries: [] });
    expect({ errors: viaGql.errors, data: viaGql.data }).toEqual({
      errors: undefined,
      data: { warrantyCoverages: [] },
    });
    const viaRest = await rest(t, f.seller.readonly).post('/coverage:batch', { queries: [] });
    expect({ status: viaRest.status, body: viaRest.body }).toEqual({ status: 200, body: [] });
  });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer, via) => {
    if (via === 'GraphQL')
      expect({ op, typename: answer.__typename ?? 'ok' }).toEqual({
        op,
        typename: expect.not.stringMatching(/Error$/),
      });
  });
});

/** The claim input with the first line's quantity replaced. */
function withQuantity(input: Record<string, any>, quantity: unknown) {
  return {
    ...input,
    lines: input.lines.map((l: Record<string, unknown>, i: number) => (i === 0 ? { ...l, quantity } : l)),
  };
}
