import { createProduct, createTenant, gql, uniqueSerial, type Tenant } from './api.js';
import { USD_LINES } from './claims-client.js';
import { sqlQuery } from './input-helpers.js';
import { createTechnician, OPEN, run, UPDATE, ASSIGN } from './repairs-client.js';
import { createPolicy, REQUEST_RETURN, TRANSITION_RETURN, INSPECT_RETURN } from './returns-client.js';
import { PLATFORM_KEY, type TestApp } from './test-app.js';
import { addMonthsUtc, createPlan, mustRegister, utcToday, addDaysUtc } from './units-helpers.js';
import { createProgram, REQUEST_UPGRADE } from './upgrades-client.js';
import { createEndpoint, RETRY, SEND_TEST } from './webhooks-client.js';
import { insertJourney, insertMessage, insertSurveyAnswer, issueCoupon } from './outreach-fixtures.js';

// The authorization matrix's fixtures: organizations in every relation to the objects, and the
// objects themselves, built once; `fresh` builds a new object for a write that is allowed, so that
// no row depends on what an earlier row changed.

/** The organizations of the matrix, by their relation to the objects (columns of the table). */
export const ORGS = ['P', 'M', 'M2', 'R', 'Ro', 'R2', 'S', 'S2'] as const;
export type OrgName = (typeof ORGS)[number];

export const ORG_MEANING: Record<OrgName, string> = {
  P: 'the platform operator',
  M: 'the manufacturer of the units',
  M2: 'another manufacturer (a stranger)',
  R: 'the retailer that sold the units',
  Ro: 'a retailer that opened the ticket for a unit it did not sell',
  R2: 'another retailer (a stranger)',
  S: 'the service center holding the ticket (and filing the claims)',
  S2: 'another service center (a stranger)',
};

/**
 * The matrix app's webhook settings: its endpoints point at a closed local port, so every attempt
 * fails at once with "connection refused" and no receiver is needed; one step of retries, so a
 * delivery attempted twice is FAILED (recoverWebhookDeliveries has something to recover).
 */
export const MATRIX_WEBHOOK_ENV = {
  WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_RETRY_SCHEDULE: '1h',
};
const WEBHOOK_URL = 'http://127.0.0.1:9/hook';

export interface Caller {
  /** e.g. "R.READONLY", "S.TECHNICIAN(assigned)", "no key"; org null: a call without a valid key. */
  label: string;
  org: OrgName | null;
  role: 'ADMIN' | 'STAFF' | 'READONLY' | 'TECHNICIAN' | null;
  /** TECHNICIAN keys: whether the world's ticket is assigned to its technician. */
  assigned?: boolean;
  key: string | null;
}

export interface World {
  t: TestApp;
  orgs: Record<Exclude<OrgName, 'P'>, Tenant>;
  callers: Caller[];
  today: string;
  product: { id: string; sku: string };
  /** The upgrade target, M's. */
  targetProduct: { id: string };
  /** A product of the stranger manufacturer, for its own writes. */
  strangerProduct: { id: string; sku: string };
  plans: { maker: string; retailer: string; otherRetailer: string };
  policyId: string;
  programId: string;
  technician: { id: string; name: string };
  /** Sold by R; ticket T open at S, opened by Ro, assigned to S's technician; claims C and Cn by S. */
  unit: { id: string; serialNumber: string };
  /** Sold by R; a ticket at S that is cancelled: S still sees the unit, no longer its owner. */
  closedUnit: { id: string };
  ticket: { id: string; number: string };
  claim: { id: string; number: string };
  /** Filed by R, the seller, on U. */
  retailerClaim: { id: string };
  claimNeedsInfo: { id: string };
  returns: {
    authorized: { id: string; number: string; lines: { unit: { id: string } }[] };
    received: { id: string };
    inspected: { id: string };
  };
  /** Sold by R 3 days ago, on no return. */
  returnableUnit: { id: string };
  upgrade: { id: string };
  /** Sold by R 8 months ago, no request yet. */
  upgradableUnit: { id: string };
  /** Sold by R, no ticket. */
  intakeUnit: { id: string; serialNumber: string };
  /** A STAFF key of S's to revoke in refused rows. */
  revocableKey: { id: string };
  /** S's webhook endpoint, with one delivery (a test message, whose attempt failed). */
  webhookEndpoint: { id: string };
  webhookDelivery: { id: string };
  /** R's outreach to U's owner: a coupon journey's SENT message with its coupon, a survey journey with one answer. */
  outreach: { couponJourneyId: string; messageId: string; couponCode: string; surveyJourneyId: string };
}

const CUSTOMER = { name: 'Ada Owner', email: 'ada.owner@example.com', phone: '+1 555 0100', marketingConsent: false };

async function mustGql(t: TestApp, key: string, query: string, variables: Record<string, unknown>) {
  const res = await gql(t, key, query, variables);
  if (res.errors) throw new Error(`fixture failed: ${JSON.stringify(res.errors)}`);
  const result = Object.values(res.data)[0] as any;
  if (result?.errorCode) throw new Error(`fixture refused: ${JSON.stringify(result)}`);
  return result;
}

/** The current version of a row, read from the database (the matrix passes it as expectedVersion). */
export async function versionOf(
  t: TestApp,
  table:
    | 'repair_tickets'
    | 'warranty_claims'
    | 'return_authorizations'
    | 'upgrade_requests'
    | 'units'
    | 'webhook_endpoints'
    | 'outreach_journeys',
  id: string,
): Promise<number> {
  const [row] = await sqlQuery<{ version: number }>(t, `SELECT version FROM ${table} WHERE id = $1`, [id]);
  return row.version;
}

/** What the builders of fresh objects need of the world. */
type FixtureBase = Pick<World, 't' | 'orgs' | 'today' | 'product' | 'targetProduct' | 'programId'>;

/** Builders of fresh objects, in the same relations as the world's. */
export function freshBuilders(w: FixtureBase) {
  const { t, orgs } = w;
  const sold = async (purchaseDate: string) => {
    const unit = await mustRegister(t, orgs.R.staff, {
      productId: w.product.id,
      manufacturerId: orgs.M.id,
      serialNumber: uniqueSerial(),
      purchaseDate,
      customer: CUSTOMER,
      purchasePrice: { amount: '500.00', currency: 'USD' },
    });
    return { id: unit.id as string, serialNumber: unit.serialNumber as string };
  };
  /** A claim on the unit, filed by S unless said. */
  const claim = async (unitId: string, claimant: Tenant = orgs.S) =>
    mustGql(
      t,
      claimant.staff,
      `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) { __typename ... on WarrantyClaim { id number status version } ... on ErrorResult { errorCode } } }`,
      {
        input: {
          unitId,
          failureCategory: 'MECHANICAL',
          failureDate: addDaysUtc(w.today, -10),
          description: 'Does not cool',
          lines: USD_LINES,
        },
      },
    ) as Promise<{ id: string; number: string; version: number }>;
  /** A ticket at S for the unit, opened by Ro by serial number (a store that did not sell it). */
  const openedByRo = async (u: { serialNumber: string }) => {
    const opened = await run(t, orgs.Ro.staff, OPEN, {
      serviceCenterId: orgs.S.id,
      serialNumber: u.serialNumber,
      manufacturerId: orgs.M.id,
      failureCategory: 'MECHANICAL',
      reportedIssue: 'Noisy compressor',
    });
    if (opened.__typename !== 'RepairTicket') throw new Error(`fixture ticket refused: ${JSON.stringify(opened)}`);
    return opened as { id: string; number: string; version: number };
  };
  const ret = async (to: 'AUTHORIZED' | 'RECEIVED' | 'INSPECTED') => {
    const unit = await sold(addDaysUtc(w.today, -3));
    let rma = await run(t, orgs.R.staff, REQUEST_RETURN, {
      lines: [{ unitId: unit.id, condition: 'OPENED', reason: 'CHANGED_MIND', requestedResolution: 'REFUND' }],
    });
    if (rma.status !== 'AUTHORIZED') throw new Error(`fixture return not authorized: ${JSON.stringify(rma)}`);
    if (to !== 'AUTHORIZED')
      rma = await run(t, orgs.R.staff, TRANSITION_RETURN, {
        returnId: rma.id,
        expectedVersion: rma.version,
        to: 'RECEIVED',
      });
    if (to === 'INSPECTED') {
      rma = await run(t, orgs.R.staff, INSPECT_RETURN, {
        returnId: rma.id,
        expectedVersion: rma.version,
        lines: rma.lines.map((l: any) => ({ lineId: l.id, condition: 'OPENED', grade: 'A' })),
      });
    }
    if (rma.status !== to) throw new Error(`fixture return is ${rma.status}, not ${to}: ${JSON.stringify(rma)}`);
    return rma as { id: string; number: string; version: number; lines: { id: string; unit: { id: string } }[] };
  };
  /** An endpoint of S's, made by its ADMIN. */
  const webhookEndpoint = async () => ({ id: (await createEndpoint(t, orgs.S.admin, WEBHOOK_URL)).endpoint.id });
  /** A test message to S's endpoint, attempted at once (and refused: nothing listens there). */
  const webhookDelivery = async (endpointId: string) => {
    const sent = await mustGql(t, orgs.S.staff, SEND_TEST, { endpointId });
    return { id: sent.id as string };
  };
  return {
    sold,
    soldLongAgo: () => sold(addMonthsUtc(w.today, -8)),
    claim,
    async claimNeedingInfo(unitId: string) {
      const c = await claim(unitId);
      await mustGql(
        t,
        orgs.M.staff,
        `mutation($input: ReviewWarrantyClaimInput!) { reviewWarrantyClaim(input: $input) { __typename ... on ErrorResult { errorCode } } }`,
        {
          input: {
            claimId: c.id,
            expectedVersion: c.version,
            decision: 'REQUEST_INFO',
            note: 'Photo of the label, please',
          },
        },
      );
      return c;
    },
    ret,
    /** A unit in the world unit's relations (sold by R, a ticket at S opened by Ro), for a change that must not touch the world's unit. */
    async unitInRelations() {
      const u = await sold(addMonthsUtc(w.today, -8));
      await openedByRo(u);
      return u;
    },
    /** A ticket at S opened by Ro (by serial), with a part on it, so there is an estimate to approve. */
    async ticket(unit?: { id: string; serialNumber: string }) {
      const u = unit ?? (await sold(addMonthsUtc(w.today, -8)));
      const opened = await openedByRo(u);
      const withPart = await run(t, orgs.S.staff, UPDATE, {
        ticketId: opened.id,
        expectedVersion: opened.version,
        addParts: [
          { partNumber: 'FAN-1', description: 'Fan', quantity: 1, unitCost: { amount: '40.00', currency: 'USD' } },
        ],
      });
      if (withPart.__typename !== 'RepairTicket') throw new Error(`fixture part refused: ${JSON.stringify(withPart)}`);
      return { id: opened.id as string, number: opened.number as string, unit: u };
    },
    async upgrade() {
      const unit = await sold(addMonthsUtc(w.today, -8));
      const up = await run(t, orgs.R.staff, REQUEST_UPGRADE, {
        programId: w.programId,
        targetProductId: w.targetProduct.id,
        unitId: unit.id,
      });
      if (up.__typename !== 'UpgradeRequest') throw new Error(`fixture upgrade refused: ${JSON.stringify(up)}`);
      return { id: up.id as string, version: up.version as number };
    },
    webhookEndpoint,
    webhookDelivery,
    /** A coupon R's journey issued to U's owner (written as the sender would), for a redemption of its own. */
    async coupon(journeyId: string, unitId: string) {
      return issueCoupon(t, { journeyId, senderId: orgs.R.id, unitId });
    },
    /** A journey of R's (written as the API would), for a change of its own. */
    async journey() {
      return { id: await insertJourney(t, { senderId: orgs.R.id }) };
    },
    /** A resource of M's product, for a removal of its own. */
    async productResource() {
      const [row] = await sqlQuery<{ id: string }>(
        t,
        `INSERT INTO product_resources (id, product_id, kind, title, url) VALUES (gen_random_uuid(), $1, 'FAQ', 'Matrix FAQ', 'https://faq.example.com') RETURNING id`,
        [w.product.id],
      );
      return { id: row.id };
    },
    /** An endpoint of S's with a FAILED delivery: its test message attempted again, which spends the one retry. */
    async webhookEndpointWithFailedDelivery() {
      const endpoint = await webhookEndpoint();
      const delivery = await webhookDelivery(endpoint.id);
      const retried = await mustGql(t, orgs.S.staff, RETRY, { id: delivery.id });
      if (retried.status !== 'FAILED') throw new Error(`fixture delivery not FAILED: ${JSON.stringify(retried)}`);
      return endpoint;
    },
    async apiKeyOfS() {
      const res = await mustGql(
        t,
        PLATFORM_KEY,
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`,
        {
          input: { organizationId: orgs.S.id, name: 'to revoke', role: 'STAFF' },
        },
      );
      return { id: res.apiKey.id as string };
    },
  };
}

export type Fresh = ReturnType<typeof freshBuilders>;

/** R's journeys to U's owner, written straight into the tables (the planner and sender are not the matrix's subject). */
async function outreachOf(t: TestApp, retailerId: string, unitId: string): Promise<World['outreach']> {
  const couponJourneyId = await insertJourney(t, {
    senderId: retailerId,
    coupon: { prefix: 'THANKS', discountPercent: 10, discountAmount: null, discountCurrency: null, validDays: 30 },
  });
  const { code, messageId } = await issueCoupon(t, { journeyId: couponJourneyId, senderId: retailerId, unitId });
  const surveyJourneyId = await insertJourney(t, {
    senderId: retailerId,
    survey: { question: 'How did we do?', scale: 'NPS', askComment: true },
  });
  const surveyed = await insertMessage(t, { journeyId: surveyJourneyId, senderId: retailerId, unitId });
  await insertSurveyAnswer(t, { messageId: surveyed, score: 9 });
  return { couponJourneyId, messageId, couponCode: code, surveyJourneyId };
}

/** A STAFF key of the organization's that its ADMIN has revoked: it authenticates nobody. */
async function revokedKeyOf(t: TestApp, org: Tenant): Promise<string> {
  const created = await mustGql(
    t,
    org.admin,
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    {
      input: { organizationId: org.id, name: 'revoked', role: 'STAFF' },
    },
  );
  await mustGql(t, org.admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.apiKey.id });
  return created.secret as string;
}

export async function buildWorld(t: TestApp): Promise<{ world: World; fresh: Fresh }> {
  const orgs = {
    M: await createTenant(t, 'MANUFACTURER', 'Matrix maker'),
    M2: await createTenant(t, 'MANUFACTURER', 'Matrix other maker'),
    R: await createTenant(t, 'RETAILER', 'Matrix seller'),
    Ro: await createTenant(t, 'RETAILER', 'Matrix opener'),
    R2: await createTenant(t, 'RETAILER', 'Matrix other store'),
    S: await createTenant(t, 'SERVICE_CENTER', 'Matrix center'),
    S2: await createTenant(t, 'SERVICE_CENTER', 'Matrix other center'),
  };
  const today = utcToday();
  const product = await createProduct(t, orgs.M.staff, { category: 'FRIDGE' });
  const targetProduct = await createProduct(t, orgs.M.staff, { category: 'FRIDGE', name: 'Newer fridge' });
  const strangerProduct = await createProduct(t, orgs.M2.staff, { category: 'FRIDGE', name: 'Other fridge' });
  const plans = {
    maker: (await createPlan(t, orgs.M.staff, { name: 'Maker care' })).id,
    retailer: (await createPlan(t, orgs.R.staff, { name: 'Seller care' })).id,
    otherRetailer: (await createPlan(t, orgs.R2.staff, { name: 'Other store care' })).id,
  };
  const policy = await createPolicy(t, orgs.R);
  const program = await createProgram(t, orgs.M, [targetProduct.id]);
  const tech = await createTechnician(t, orgs.S, 'Tess Matrix');
  const otherTech = await createTechnician(t, orgs.S, 'Otto Matrix');
  const strangerTech = await createTechnician(t, orgs.S2, 'Sam Matrix');

  const base = {
    t,
    orgs,
    today,
    product,
    targetProduct,
    strangerProduct,
    plans,
    policyId: policy.id as string,
    programId: program.id as string,
    technician: { id: tech.id, name: 'Tess Matrix' },
  };
  const fresh = freshBuilders(base);

  const unit = await fresh.soldLongAgo();
  await mustGql(
    t,
    orgs.R.staff,
    `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) { __typename ... on ErrorResult { errorCode } } }`,
    {
      input: { unitId: unit.id, servicePlanId: plans.maker, purchasedAt: addMonthsUtc(today, -8) },
    },
  );
  const ticket = await fresh.ticket(unit);
  const assigned = await run(t, orgs.S.staff, ASSIGN, {
    ticketId: ticket.id,
    expectedVersion: await versionOf(t, 'repair_tickets', ticket.id),
    technicianId: tech.id,
  });
  if (assigned.__typename !== 'RepairTicket')
    throw new Error(`fixture assignment refused: ${JSON.stringify(assigned)}`);

  const closedUnit = await fresh.soldLongAgo();
  const closed = await run(t, orgs.S.staff, OPEN, {
    serviceCenterId: orgs.S.id,
    unitId: undefined,
    serialNumber: closedUnit.serialNumber,
    manufacturerId: orgs.M.id,
    failureCategory: 'OTHER',
    reportedIssue: 'Checked, no fault',
  });
  if (closed.__typename !== 'RepairTicket') throw new Error(`fixture closed ticket refused: ${JSON.stringify(closed)}`);
  const cancelled = await run(t, orgs.S.staff, UPDATE, {
    ticketId: closed.id,
    expectedVersion: closed.version,
    status: 'CANCELLED',
    note: 'Customer took it back',
  });
  if (cancelled.status !== 'CANCELLED') throw new Error(`fixture cancel refused: ${JSON.stringify(cancelled)}`);

  const claim = await fresh.claim(unit.id);
  const claimNeedsInfo = await fresh.claimNeedingInfo(unit.id);
  const returns = {
    authorized: await fresh.ret('AUTHORIZED'),
    received: await fresh.ret('RECEIVED'),
    inspected: await fresh.ret('INSPECTED'),
  };
  const upgrade = await fresh.upgrade();
  const webhookEndpoint = await fresh.webhookEndpoint();
  const outreach = await outreachOf(t, orgs.R.id, unit.id);

  const world: World = {
    ...base,
    callers: [],
    unit,
    closedUnit,
    ticket: { id: ticket.id, number: ticket.number },
    claim: { id: claim.id, number: claim.number },
    retailerClaim: { id: (await fresh.claim(unit.id, orgs.R)).id },
    claimNeedsInfo: { id: claimNeedsInfo.id },
    returns,
    returnableUnit: await fresh.sold(addDaysUtc(today, -3)),
    upgrade: { id: upgrade.id },
    upgradableUnit: await fresh.soldLongAgo(),
    intakeUnit: await fresh.soldLongAgo(),
    revocableKey: await fresh.apiKeyOfS(),
    webhookEndpoint,
    webhookDelivery: await fresh.webhookDelivery(webhookEndpoint.id),
    outreach,
  };
  world.callers = [
    { label: 'platform operator', org: 'P', role: 'ADMIN', key: PLATFORM_KEY },
    ...(['M', 'M2', 'R', 'Ro', 'R2', 'S', 'S2'] as const).flatMap((org): Caller[] => [
      { label: `${org}.ADMIN`, org, role: 'ADMIN', key: orgs[org].admin },
      { label: `${org}.STAFF`, org, role: 'STAFF', key: orgs[org].staff },
      { label: `${org}.READONLY`, org, role: 'READONLY', key: orgs[org].readonly },
    ]),
    { label: 'S.TECHNICIAN(assigned)', org: 'S', role: 'TECHNICIAN', assigned: true, key: tech.key },
    { label: 'S.TECHNICIAN(not assigned)', org: 'S', role: 'TECHNICIAN', assigned: false, key: otherTech.key },
    { label: 'S2.TECHNICIAN', org: 'S2', role: 'TECHNICIAN', assigned: false, key: strangerTech.key },
    { label: 'no key', org: null, role: null, key: null },
    { label: 'bad key', org: null, role: null, key: 'ac_live_this_key_was_never_issued_0000000000' },
    { label: 'revoked key', org: null, role: null, key: await revokedKeyOf(t, orgs.R) },
  ];
  return { world, fresh };
}
