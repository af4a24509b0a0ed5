import { GraphQLSchemaHost } from '@nestjs/graphql';
import { fingerprinter } from './support/matrix-client.js';
import { OPERATIONS, type Operation } from './support/matrix-operations.js';
import { apisOf, isWrite, office, row, runRow, type Row, type RowContext } from './support/matrix-runner.js';
import { fastifyRoutes, openApiRoutes } from './support/matrix-routes.js';
import { listenForSubscriptions, runSubscriptionRow } from './support/matrix-subscription.js';
import { buildWorld, MATRIX_WEBHOOK_ENV, ORG_MEANING, ORGS } from './support/matrix-world.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The authorization matrix (docs/rules.md, "Who sees what"): every GraphQL operation and
// every REST route, for every caller, in one table. Columns are organizations by their relation
// to the objects (ORG_MEANING); each organization calls with its ADMIN, STAFF and READONLY keys
// (and, for service centers, TECHNICIAN keys), and with no key, a key never issued and a revoked
// key (always UNAUTHENTICATED). The row's policy says what the role changes (matrix-runner.ts).
//
// Cells: ok, NF (NOT_FOUND; in a list: not listed), FB (FORBIDDEN), E:<errorCode>.
// The rules behind them: anything outside the caller's view is NOT_FOUND, never FORBIDDEN, whatever
// the key's role or the organization's kind; a permitted read of the wrong kind of operation is
// FORBIDDEN (so is the platform operator's change of a business object: it sees everything but is
// a party to nothing); READONLY keys never write; TECHNICIAN keys only work tickets assigned to
// their technician, and nothing of an office feature (webhooks: rows made with office(), where
// they are FORBIDDEN even outside their view); the catalog is readable by every organization,
// with a key; only the seller, the maker and a center with an open ticket read the unit's owner.
// An operation with no object (creating one) refuses the wrong kind or role with FORBIDDEN.
//
// Every write is fingerprinted: a refused one leaves every table as it was, an allowed one
// changes it (on a fresh object of its own, so rows do not depend on one another).
//
// The world (matrix-world.ts): M makes the product; R sold unit U, which carries M's plan; Ro,
// another store, opened ticket T for U by serial number at S, where it is assigned to a
// technician; S filed claims C (SUBMITTED) and Cn (NEEDS_INFO) on U, and R one more; R has returns
// and an upgrade request under M's program; S has a webhook endpoint with one delivery; M2, R2 and
// S2 have no relation to any of it.

//                                                                                                    P   M   M2  R   Ro  R2  S   S2
const TABLE: Row[] = [
  // directory and keys
  row('me', 'the calling key', 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('organization', 'the directory: S', 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row(
    'organizations',
    "the directory lists S; the platform's own to the platform",
    'list',
    'ok  ok  ok  ok  ok  ok  ok  ok',
  ),
  row(
    'apiKeys',
    "the caller organization's own keys, no secret: ADMIN keys",
    'manage',
    'ok  ok  ok  ok  ok  ok  ok  ok',
  ),
  row('technicians', "S's technicians, asked for by S's id", 'read', 'ok  NF  NF  NF  NF  NF  ok  NF'),
  row('createOrganization', 'only the platform creates organizations', 'admin', 'ok  FB  FB  FB  FB  FB  FB  FB'),
  row('createApiKey', 'a key for S: its ADMIN or the platform', 'admin', 'ok  FB  FB  FB  FB  FB  ok  FB'),
  row('revokeApiKey', "a key of S's: its ADMIN or the platform", 'admin', 'ok  NF  NF  NF  NF  NF  ok  NF'),
  row('createTechnician', 'a technician at S: its ADMIN or the platform', 'admin', 'ok  FB  FB  FB  FB  FB  ok  FB'),
  // catalog: read by every organization, changed by its owner
  row('product', "M's product", 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('products', "the catalog lists M's product", 'list', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('createProduct', 'manufacturers make products', 'work', 'FB  ok  ok  FB  FB  FB  FB  FB'),
  row('productResources', "M's product's manuals and guides", 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('addProductResource', "a manual for M's product: M only", 'work', 'FB  ok  FB  FB  FB  FB  FB  FB'),
  row('removeProductResource', "a resource of M's product: M only", 'work', 'FB  ok  FB  FB  FB  FB  FB  FB'),
  row('servicePlans', "the catalog lists R's plan", 'list', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('createServicePlan', 'manufacturers and retailers sell plans', 'work', 'FB  ok  ok  ok  ok  ok  FB  FB'),
  row('upgradePrograms', "the catalog lists M's program", 'list', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('createUpgradeProgram', 'manufacturers and retailers run programs', 'work', 'FB  ok  ok  ok  ok  ok  FB  FB'),
  // units: the maker and the seller keep them; S sees U while its ticket is at S
  row('unit', 'U; its owner only for M, R and S (open ticket)', 'read', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row(
    'unitWithClosedTicket',
    'a unit whose ticket at S is cancelled: no owner for S',
    'read',
    'ok  ok  NF  ok  NF  NF  ok  NF',
  ),
  row('unitBySerial', 'U by serial number', 'read', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row('units', 'U in the list of units', 'list', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row('unitsByOwner', "U by its owner's email: who reads the owner, not P", 'list', 'NF  ok  NF  ok  NF  NF  ok  NF'),
  row(
    'closedUnitByOwner',
    "the cancelled ticket's unit by owner: no longer S",
    'list',
    'NF  ok  NF  ok  NF  NF  NF  NF',
  ),
  row('unitHistory', "U's history: no technician, no number it may not see", 'read', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row(
    'returnedUnitHistory',
    "the history of a unit on R's return: M sees no return number",
    'read',
    'ok  ok  NF  ok  NF  NF  NF  NF',
  ),
  row('unitServicePlans', "U's plans", 'read', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row('registerUnit', 'makers and stores register; not centers', 'work', 'ok  ok  ok  ok  ok  ok  FB  FB'),
  row('importUnits', 'the bulk import, as registering', 'work', 'ok  ok  ok  ok  ok  ok  FB  FB'),
  row('transferOwnership', 'only the seller and the maker change a unit', 'work', 'FB  ok  NF  ok  NF  NF  FB  NF'),
  row('attachServicePlan', "the maker's plan, by the seller or the maker", 'work', 'FB  ok  NF  ok  NF  NF  FB  NF'),
  // the seller and the maker may attach plans to the unit: another store's plan is not eligible (a refused plan, not a refused caller)
  row(
    'attachOtherStoresPlan',
    "R2's plan: no one attaches another store's plan",
    'work',
    'FB  E:PLAN_NOT_ELIGIBLE NF  E:PLAN_NOT_ELIGIBLE NF  NF  FB  NF',
  ),
  // coverage: open to every organization; the unit only for who may see it
  row('warrantyCoverage', "U's coverage, unit null for strangers and Ro", 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('warrantyCoverages', 'the same, in a batch', 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  // repairs: S works T; M follows it read only; Ro, the opener, approves the estimate
  row('repairTicket', 'T', 'read', 'ok  ok  NF  NF  ok  NF  ok  NF'),
  row('repairTickets', 'T in the list of tickets', 'list', 'ok  ok  NF  NF  ok  NF  ok  NF'),
  row('openRepairTicket', 'intake by serial number at a center', 'work', 'FB  ok  NF  ok  ok  ok  ok  ok'),
  row('updateRepairTicket', 'T on the bench', 'bench', 'FB  FB  NF  NF  FB  NF  ok  NF'),
  row('assignTechnician', "T to S's technician", 'work', 'FB  FB  NF  NF  FB  NF  ok  NF'),
  row('repairTicketUpdated', 'following T live (graphql-ws)', 'read', 'ok  ok  NF  NF  ok  NF  ok  NF'),
  row('approveRepairEstimate', "T's estimate: the opener or the center", 'work', 'FB  FB  NF  NF  ok  NF  ok  NF'),
  // warranty claims: filed by centers and stores for units they see, decided by the maker
  row('warrantyClaim', 'C, filed by S against M', 'read', 'ok  ok  NF  NF  NF  NF  ok  NF'),
  row('retailerClaim', 'a claim R filed on U: S did not file it', 'read', 'ok  ok  NF  ok  NF  NF  NF  NF'),
  row('warrantyClaims', 'C in the list of claims', 'list', 'ok  ok  NF  NF  NF  NF  ok  NF'),
  row('submitWarrantyClaim', 'a claim on U', 'work', 'FB  FB  NF  ok  NF  NF  ok  NF'),
  row('reviewWarrantyClaim', 'only the maker decides', 'work', 'FB  ok  NF  NF  NF  NF  FB  NF'),
  row('answerClaimInfoRequest', 'only the claimant answers', 'work', 'FB  FB  NF  NF  NF  NF  ok  NF'),
  row('cancelWarrantyClaim', 'only the claimant cancels', 'work', 'FB  FB  NF  NF  NF  NF  ok  NF'),
  // returns: the retailer's own
  row('returnPolicies', "R's policy in the list of policies", 'list', 'ok  NF  NF  ok  NF  NF  NF  NF'),
  row('createReturnPolicy', 'retailers set policies', 'work', 'FB  FB  FB  ok  ok  ok  FB  FB'),
  row('returnAuthorization', "R's return", 'read', 'ok  NF  NF  ok  NF  NF  NF  NF'),
  row('returnAuthorizations', "R's return in the list of returns", 'list', 'ok  NF  NF  ok  NF  NF  NF  NF'),
  row('requestReturn', 'a return of a unit R sold (M sees the unit)', 'work', 'FB  FB  NF  ok  NF  NF  NF  NF'),
  row('transitionReturn', "R's return, received in store", 'work', 'FB  NF  NF  ok  NF  NF  NF  NF'),
  row('inspectReturn', "R's return, inspected", 'work', 'FB  NF  NF  ok  NF  NF  NF  NF'),
  row('resolveReturn', "R's return, refunded", 'work', 'FB  NF  NF  ok  NF  NF  NF  NF'),
  // upgrades: seen and worked by the requester (R) and the program's owner (M)
  row('upgradeEligibility', "a unit R sold of M's product", 'read', 'ok  ok  NF  ok  NF  NF  NF  NF'),
  row('upgradeRequests', "R's request in the list of requests", 'list', 'ok  ok  NF  ok  NF  NF  NF  NF'),
  row('upgradeRequest', "R's request under M's program", 'read', 'ok  ok  NF  ok  NF  NF  NF  NF'),
  row('requestUpgrade', "under M's program: M, or R that sold the unit", 'work', 'FB  ok  NF  ok  NF  NF  NF  NF'),
  row('receiveTradeIn', 'the trade-in of the request', 'work', 'FB  ok  NF  ok  NF  NF  NF  NF'),
  row('completeUpgrade', 'completing the request', 'work', 'FB  ok  NF  ok  NF  NF  NF  NF'),
  row('cancelUpgrade', 'cancelling the request', 'work', 'FB  ok  NF  ok  NF  NF  NF  NF'),
  // webhooks: an organization's own endpoints and deliveries (docs/webhooks.md); none of it for
  // technicians (office rows); the catalogue is read by every key
  row('webhookEventTypes', 'the catalogue of event types', 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  office('webhookEndpoints', "S's endpoint in the list of endpoints", 'list', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('webhookEndpoint', "S's endpoint, never its secret", 'read', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('createWebhookEndpoint', 'an endpoint of its own: ADMIN keys', 'admin', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  office('updateWebhookEndpoint', "S's endpoint: its ADMIN keys", 'admin', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('deleteWebhookEndpoint', "S's endpoint: its ADMIN keys", 'admin', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('rotateWebhookSecret', "S's endpoint's secret: its ADMIN keys", 'admin', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('sendTestWebhook', "a test message to S's endpoint", 'work', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('recoverWebhookDeliveries', "S's endpoint's FAILED deliveries", 'work', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('webhookDeliveries', "S's delivery in the delivery log", 'list', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('webhookDelivery', "S's delivery with its attempts", 'read', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  office('retryWebhookDelivery', "S's delivery, attempted again", 'work', 'NF  NF  NF  NF  NF  NF  ok  NF'),
  // outreach (docs/outreach.md): the sender's own messages, coupons and survey answers; retailers and
  // makers write to owners, centers and the platform have no outreach (FORBIDDEN); none of it for
  // technicians (office rows). Only who may read U's owner gets the link to its owner page.
  office('outreachJourneys', "R's journey in the list of journeys", 'list', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('getOutreachJourney', "R's journey", 'read', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office(
    'createOutreachJourney',
    'a journey of its own: retailers and makers',
    'work',
    'FB  ok  ok  ok  ok  ok  FB  FB',
  ),
  office('updateOutreachJourney', "R's journey, renamed", 'work', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('outreachMessages', "R's message to U's owner, the address masked", 'list', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('outreachMessage', "R's message, the address masked", 'read', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('coupon', "R's coupon by code, in any case: null for anyone else", 'list', 'NF  NF  NF  ok  NF  NF  NF  NF'),
  office('getCoupon', "R's coupon by code: 404 for anyone else", 'read', 'NF  NF  NF  ok  NF  NF  NF  NF'),
  office(
    'redeemCoupon',
    "R's coupon: only R redeems it",
    'work',
    'E:COUPON_NOT_FOUND E:COUPON_NOT_FOUND E:COUPON_NOT_FOUND ok E:COUPON_NOT_FOUND E:COUPON_NOT_FOUND E:COUPON_NOT_FOUND E:COUPON_NOT_FOUND',
  ),
  office('surveyResponses', "the answers to R's survey journey", 'read', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('surveyStats', "the figures of R's survey journey", 'read', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  office('previewOutreach', "R's journey's message to U's owner", 'read', 'FB  NF  NF  ok  NF  NF  FB  FB'),
  row('ownerPageUrl', "U's owner page: who reads U's owner", 'read', 'NF  ok  NF  ok  NF  NF  ok  NF'),
  // node(id): the same rules by another door
  row('nodeUnit', 'U', 'read', 'ok  ok  NF  ok  NF  NF  ok  NF'),
  row('nodeTicket', 'T', 'read', 'ok  ok  NF  NF  ok  NF  ok  NF'),
  row('nodeClaim', 'C', 'read', 'ok  ok  NF  NF  NF  NF  ok  NF'),
  row('nodeReturn', "R's return", 'read', 'ok  NF  NF  ok  NF  NF  NF  NF'),
  row('nodeUpgrade', "R's upgrade request", 'read', 'ok  ok  NF  ok  NF  NF  NF  NF'),
  row('nodeProduct', "M's product (catalog)", 'read', 'ok  ok  ok  ok  ok  ok  ok  ok'),
  row('nodeTechnician', "S's technician", 'read', 'ok  NF  NF  NF  NF  NF  ok  NF'),
];

describe('authorization matrix: every operation × every caller, as docs/rules.md has it', () => {
  let t: TestApp;
  let ctx: RowContext & { wsUrl: string };

  beforeAll(async () => {
    // no background work: the fingerprints must change only by the calls themselves
    t = await startTestApp({ JOBS_POLL_MS: '0', ...MATRIX_WEBHOOK_ENV });
    const { world, fresh } = await buildWorld(t);
    ctx = { t, w: world, fresh, fingerprint: await fingerprinter(t), wsUrl: await listenForSubscriptions(t) };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('the table covers the API', () => {
    it('has rows for every Query, Mutation and Subscription field of the running schema', () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const fields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
        Object.keys(type?.getFields() ?? {}),
      );
      const covered = new Set(
        TABLE.map((r) => (OPERATIONS[r.op] as Operation).graphql?.field).filter((f): f is string => !!f),
      );
      expect(fields.filter((field) => !covered.has(field))).toEqual([]);
      // and no row calls a field that is gone
      expect([...covered].filter((field) => !fields.includes(field))).toEqual([]);
    });

    it('has rows for every REST route of the OpenAPI document and of the server', async () => {
      const covered = new Set(
        TABLE.map((r) => (OPERATIONS[r.op] as Operation).rest?.route).filter((route): route is string => !!route),
      );
      const documented = await openApiRoutes(t);
      const served = fastifyRoutes(t);
      // the route table is read right: it holds every documented route
      expect(documented.filter((route) => !served.includes(route))).toEqual([]);
      expect([...new Set([...documented, ...served])].filter((route) => !covered.has(route))).toEqual([]);
      // and no row calls a route that is gone
      expect([...covered].filter((route) => !served.includes(route))).toEqual([]);
    });

    it('calls every row over at least one API, and names every organization of the world', () => {
      expect(TABLE.flatMap((r) => (apisOf(OPERATIONS[r.op]).length === 0 ? [r.op] : []))).toEqual([]);
      expect(Object.keys(ORG_MEANING)).toEqual([...ORGS]);
    });
  });

  // one test per row: all of a row's disagreements at once, so a failure reads as a to-do list;
  // reads first, then the rows that change something (each write row runs its refusals before
  // its allowed calls; a subscription row changes its ticket to hear about it)
  const changes = (x: Row) => isWrite(x) || (OPERATIONS[x.op] as Operation).subscription === true;
  for (const r of [...TABLE.filter((x) => !changes(x)), ...TABLE.filter(changes)]) {
    const op: Operation = OPERATIONS[r.op];
    const title = [op.graphql && `GraphQL ${op.graphql.field}`, op.rest && `REST ${op.rest.route}`]
      .filter(Boolean)
      .join(' / ');
    it(`${r.op}: ${r.about} (${title})`, async () => {
      expect(op.subscription ? await runSubscriptionRow(ctx, r) : await runRow(ctx, r)).toEqual([]);
    });
  }
});
