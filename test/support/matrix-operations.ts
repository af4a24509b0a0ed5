import { uniqueSerial } from './api.js';
import { USD_LINES } from './claims-client.js';
import { sqlQuery } from './input-helpers.js';
import { addDaysUtc } from './units-helpers.js';
import { versionOf, type Caller, type Fresh, type OrgName, type World } from './matrix-world.js';

// How to call each operation of the authorization matrix over GraphQL and REST, with which
// arguments, and what a successful read must (not) show. The expected outcomes are in the table
// of test/authorization-matrix.e2e-spec.ts; nothing here decides who may do what, except the
// leak rules, which quote docs/rules.md.

export type Api = 'GraphQL' | 'REST';
/**
 * A call's arguments. `id`, when there is one, is the object the call names: its NOT_FOUND must
 * read exactly like the one for an id that does not exist (matrix-runner.ts checks).
 */
export type Args = Record<string, any>;

export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** NDJSON text for the bulk import. */
  ndjson?: string;
}

export interface ArgsContext {
  w: World;
  fresh: Fresh;
  caller: Caller;
  /** True when the table allows this caller: a write then gets a fresh object of its own. */
  allowed: boolean;
  /** Objects built for this row's refusals; emptied whenever a call changed the database. */
  cache: Record<string, string>;
}

/** A unit in U's relations for a change of units: fresh for an allowed call, shared by the row's refusals until one changes something. */
const unitToChange = async ({ fresh, allowed, cache }: ArgsContext) =>
  allowed ? (await fresh.unitInRelations()).id : (cache.unit ??= (await fresh.unitInRelations()).id);

export interface Operation {
  graphql?: { field: string; document: string; variables: (a: Args) => Record<string, unknown> };
  rest?: { route: string; request: (a: Args) => RestRequest };
  args: (c: ArgsContext) => Promise<Args> | Args;
  /** Lists: whether the row's object is in the answer (a list hides, it does not refuse). */
  listed?: (body: any, w: World, api: Api) => boolean;
  /** A read that succeeded: the problems with what it shows this caller (empty when none). */
  leaks?: (body: any, w: World, caller: Caller, api: Api) => string[];
  /** A GraphQL subscription: run over graphql-ws (matrix-subscription.ts). */
  subscription?: true;
}

// ------------------------------------------------------------------------------ leak rules

const OWNER_TEXT = ['Ada Owner', 'ada.owner@example.com', '555 0100'];

/**
 * docs/rules.md: "only the unit's retailer and manufacturer ... read its stored owner; a service center
 * reads the owner's contact while it holds an open ticket for the unit". The platform operator is
 * none of them: it sees the unit, not the customer.
 */
const readsOwnerOfTicketUnit = (org: OrgName | null) => org === 'M' || org === 'R' || org === 'S';
const readsOwnerOfClosedTicketUnit = (org: OrgName | null) => org === 'M' || org === 'R';
/** docs/rules.md: a service center sees its technicians; others see the center, never the person. */
const seesTechnicians = (org: OrgName | null) => org === 'P' || org === 'S';
/** Who may see the world's unit (coverage answers give the unit to them only). */
const seesUnit = (org: OrgName | null) => org === 'P' || org === 'M' || org === 'R' || org === 'S';

const mentions = (body: unknown, text: string) => JSON.stringify(body ?? null).includes(text);

function mustNotMention(body: unknown, texts: string[], what: string): string[] {
  return texts.filter((text) => mentions(body, text)).map((text) => `shows ${what} (${text})`);
}

function ownerLeaks(body: unknown, readsOwner: boolean): string[] {
  if (readsOwner) return mentions(body, 'Ada Owner') ? [] : ['the owner is missing for a caller who may read it'];
  return mustNotMention(body, OWNER_TEXT, "the unit's owner");
}

function technicianLeaks(body: unknown, w: World, caller: Caller): string[] {
  if (seesTechnicians(caller.org)) return [];
  return mustNotMention(body, [w.technician.id, w.technician.name], "the center's technician");
}

/** Who may see the world's ticket T and claim C (their rows in the table). */
const seesTicket = (org: OrgName | null) => org === 'P' || org === 'M' || org === 'Ro' || org === 'S';
const seesClaim = (org: OrgName | null) => org === 'P' || org === 'M' || org === 'S';

/** A unit's history names no ticket or claim its reader may not see, no technician and, for those who may not read it, no owner. */
function historyLeaks(body: unknown, w: World, caller: Caller): string[] {
  return [
    ...(seesTicket(caller.org) ? [] : mustNotMention(body, [w.ticket.number], 'the number of a ticket it may not see')),
    ...(seesClaim(caller.org) ? [] : mustNotMention(body, [w.claim.number], 'the number of a claim it may not see')),
    ...technicianLeaks(body, w, caller),
    ...(readsOwnerOfTicketUnit(caller.org) ? [] : mustNotMention(body, OWNER_TEXT, "the unit's owner")),
  ];
}

const edgesOf = (body: any): any[] => body?.edges?.map((e: any) => e.node) ?? [];
const idsOf = (body: any): string[] => (Array.isArray(body) ? body : edgesOf(body)).map((n: any) => n?.id);

// ------------------------------------------------------------------------------ documents

const UNIT =
  'id serialNumber product { id } owner { name email phone } purchasePrice { amount } retailer { id } servicePlans { plan { id } }';
const ERR = '... on ErrorResult { errorCode message }';
const TICKET = `id number status version technician { id name } history { note technician { id } } unit { ${UNIT} }`;
const TICKET_RESULT = `__typename ... on RepairTicket { id status version } ${ERR}`;
const CLAIM_RESULT = `__typename ... on WarrantyClaim { id status version } ${ERR}`;
const RETURN_RESULT = `__typename ... on ReturnAuthorization { id status version } ${ERR}`;
const UPGRADE_RESULT = `__typename ... on UpgradeRequest { id status version } ${ERR}`;
const UNIT_RESULT = `__typename ... on Unit { id version } ${ERR}`;
const COVERAGE = `serialNumber covered unit { ${UNIT} }`;
const WEBHOOK_ENDPOINT = 'id url description eventTypes enabled secretPrefix version';
const WEBHOOK_DELIVERY = 'id messageId eventType status attempts { responseStatus error } endpoint { id }';
const OUTREACH_JOURNEY = 'id name kind purpose active sender { id } templates { locale } stats { sent }';
const JOURNEY_RESULT = `__typename ... on OutreachJourney { id version } ${ERR}`;
const OUTREACH_MESSAGE = 'id recipient status occasion journey { id } unit { id } coupon { code }';

const mutation = (field: string, inputType: string, selection: string) =>
  `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`;

const byId = (field: string, selection: string) => ({
  field,
  document: `query($id: ID!) { ${field}(id: $id) { ${selection} } }`,
  variables: (a: Args) => ({ id: a.id }),
});

const get = (route: string, path: (a: Args) => string, query?: (a: Args) => Record<string, string>) => ({
  route,
  request: (a: Args): RestRequest => ({ method: 'GET', path: path(a), query: query?.(a) }),
});
const post = (route: string, path: (a: Args) => string, body: (a: Args) => unknown) => ({
  route,
  request: (a: Args): RestRequest => ({ method: 'POST', path: path(a), body: body(a) }),
});

const patch = (route: string, path: (a: Args) => string, body: (a: Args) => unknown) => ({
  route,
  request: (a: Args): RestRequest => ({ method: 'PATCH', path: path(a), body: body(a) }),
});
const del = (route: string, path: (a: Args) => string) => ({
  route,
  request: (a: Args): RestRequest => ({ method: 'DELETE', path: path(a) }),
});

// ------------------------------------------------------------------------------ inputs

const registerInput = (w: World, caller: Caller) => {
  // each maker registers its own product; a store or the platform registers M's
  const own = caller.org === 'M2' ? w.strangerProduct : w.product;
  const manufacturerId = caller.org === 'M2' ? w.orgs.M2.id : w.orgs.M.id;
  return {
    productId: own.id,
    manufacturerId,
    serialNumber: uniqueSerial(),
    purchaseDate: addDaysUtc(w.today, -1),
    ...(caller.org === 'P' || caller.org === 'M' || caller.org === 'M2' ? { retailerId: w.orgs.R.id } : {}),
  };
};

const claimInput = (w: World) => ({
  unitId: w.unit.id,
  failureCategory: 'MECHANICAL',
  failureDate: addDaysUtc(w.today, -10),
  description: 'Does not cool',
  lines: USD_LINES,
});

const upgradeProgramInput = (w: World, caller: Caller) => ({
  name: `Trade up ${uniqueSerial()}`,
  eligibleCategories: ['FRIDGE'],
  minMonthsOwned: 6,
  validFrom: '2020-01-01',
  // a maker's program offers its own products; a store's may offer any
  targetProductIds: [caller.org === 'M2' ? w.strangerProduct.id : w.targetProduct.id],
  tradeInValues: [{ grade: 'A', value: { amount: '150.00', currency: 'USD' } }],
});

const upgradeArgs = async ({ w, fresh, allowed }: ArgsContext) => {
  const up = allowed ? await fresh.upgrade() : w.upgrade;
  return { id: up.id, version: await versionOf(w.t, 'upgrade_requests', up.id) };
};

/** S's endpoint for a change: a fresh one for an allowed call (the world's keeps its version and secret). */
const webhookEndpointArgs = async ({ w, fresh, allowed }: ArgsContext) => {
  const id = allowed ? (await fresh.webhookEndpoint()).id : w.webhookEndpoint.id;
  return { id, version: await versionOf(w.t, 'webhook_endpoints', id) };
};

/**
 * docs/webhooks.md: the signing secret is shown once, when made or rotated; never in a read, which
 * shows only its first characters (secretPrefix: "whsec_" and 4 more).
 */
const secretLeaks = (body: unknown) =>
  /whsec_[A-Za-z0-9+/=]{5,}/.test(JSON.stringify(body ?? null)) ? ['shows a signing secret'] : [];

const ticketArgs = async (w: World, id = w.ticket.id) => ({ id, version: await versionOf(w.t, 'repair_tickets', id) });

// ------------------------------------------------------------------------------ operations

export const OPERATIONS = {
  // ---------------------------------------------------------------- directory and keys
  me: {
    graphql: { field: 'me', document: '{ me { id role organization { id } } }', variables: () => ({}) },
    rest: get('GET /me', () => '/me'),
    args: () => ({}),
    // the key answers for its own organization (the platform's id is not in the world)
    leaks: (body, w, caller) => {
      if (!caller.org || caller.org === 'P') return [];
      const orgId = body?.organization?.id ?? body?.organizationId;
      return orgId === w.orgs[caller.org].id ? [] : [`answers for organization ${orgId}`];
    },
  },
  organization: {
    graphql: byId('organization', 'id kind name'),
    rest: get('GET /organizations/{id}', (a) => `/organizations/${a.id}`),
    args: ({ w }) => ({ id: w.orgs.S.id }),
  },
  technicians: {
    graphql: {
      field: 'technicians',
      document: 'query($id: ID) { technicians(serviceCenterId: $id) { id name } }',
      variables: (a) => ({ id: a.id }),
    },
    rest: get(
      'GET /technicians',
      () => '/technicians',
      (a) => ({ serviceCenterId: a.id }),
    ),
    args: ({ w }) => ({ id: w.orgs.S.id }),
    listed: (body, w) => idsOf(body).includes(w.technician.id),
  },
  organizations: {
    graphql: {
      field: 'organizations',
      document: '{ organizations(first: 100) { edges { node { id name kind } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /organizations',
      () => '/organizations',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.orgs.S.id),
    // the directory shows names and kinds, and the platform's own organization to the platform only
    leaks: (body, _w, caller) =>
      caller.org !== 'P' && edgesOf(body).some((n) => n.kind === 'PLATFORM')
        ? ["shows the platform operator's organization"]
        : [],
  },
  apiKeys: {
    graphql: {
      field: 'apiKeys',
      document: '{ apiKeys(first: 100) { edges { node { id role prefix organization { id } } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /api-keys',
      () => '/api-keys',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    // the caller organization's own keys, never a secret or a hash (the platform's organization is not in the world)
    leaks: (body, w, caller) => {
      const orgs = new Set(edgesOf(body).map((n) => n.organization?.id ?? n.organizationId));
      const own = caller.org && caller.org !== 'P' ? w.orgs[caller.org].id : null;
      const strangers = [...orgs].filter((id) => (own ? id !== own : Object.values(w.orgs).some((o) => o.id === id)));
      return [
        ...(edgesOf(body).length === 0 ? ['lists none of its own keys'] : []),
        ...strangers.map((id) => `lists a key of organization ${id}`),
        ...mustNotMention(body, ['secret', 'Hash', 'hash'], "a key's secret"),
      ];
    },
  },
  createOrganization: {
    graphql: {
      field: 'createOrganization',
      document: mutation('createOrganization', 'CreateOrganizationInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /organizations',
      () => '/organizations',
      (a) => a.input,
    ),
    args: () => ({ input: { name: `Matrix org ${uniqueSerial()}`, kind: 'RETAILER' } }),
  },
  createApiKey: {
    graphql: {
      field: 'createApiKey',
      document: mutation('createApiKey', 'CreateApiKeyInput', 'apiKey { id }'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /api-keys',
      () => '/api-keys',
      (a) => a.input,
    ),
    args: ({ w }) => ({ input: { organizationId: w.orgs.S.id, name: 'matrix key', role: 'STAFF' } }),
  },
  revokeApiKey: {
    graphql: {
      field: 'revokeApiKey',
      document: 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
      variables: (a) => ({ id: a.id }),
    },
    rest: post(
      'POST /api-keys/{id}:revoke',
      (a) => `/api-keys/${a.id}:revoke`,
      () => ({}),
    ),
    args: async ({ w, fresh, allowed }) => ({ id: allowed ? (await fresh.apiKeyOfS()).id : w.revocableKey.id }),
  },
  createTechnician: {
    graphql: {
      field: 'createTechnician',
      document: mutation('createTechnician', 'CreateTechnicianInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /technicians',
      () => '/technicians',
      (a) => a.input,
    ),
    args: ({ w }) => ({ input: { serviceCenterId: w.orgs.S.id, name: 'Matrix hire' } }),
  },

  // ---------------------------------------------------------------- catalog
  product: {
    graphql: byId('product', 'id sku manufacturer { id }'),
    rest: get('GET /products/{id}', (a) => `/products/${a.id}`),
    args: ({ w }) => ({ id: w.product.id }),
  },
  products: {
    graphql: {
      field: 'products',
      document: '{ products(first: 100) { edges { node { id } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /products',
      () => '/products',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.product.id),
  },
  createProduct: {
    graphql: {
      field: 'createProduct',
      document: mutation('createProduct', 'CreateProductInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /products',
      () => '/products',
      (a) => a.input,
    ),
    args: () => ({
      input: {
        sku: `MX-${uniqueSerial()}`,
        name: 'Matrix fridge',
        category: 'FRIDGE',
        warrantyTerms: { durationMonths: 12, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] },
      },
    }),
  },
  servicePlans: {
    graphql: { field: 'servicePlans', document: '{ servicePlans { id provider { id } } }', variables: () => ({}) },
    rest: get('GET /service-plans', () => '/service-plans'),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.plans.retailer),
  },
  createServicePlan: {
    graphql: {
      field: 'createServicePlan',
      document: mutation('createServicePlan', 'CreateServicePlanInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /service-plans',
      () => '/service-plans',
      (a) => a.input,
    ),
    args: () => ({
      input: {
        name: 'Matrix care',
        durationMonths: 12,
        startsAfterBaseWarranty: true,
        coverageTypes: ['PARTS'],
        eligibleCategories: ['FRIDGE'],
        purchaseWindowDays: 60,
        price: { amount: '49.00', currency: 'USD' },
      },
    }),
  },
  upgradePrograms: {
    graphql: { field: 'upgradePrograms', document: '{ upgradePrograms { id owner { id } } }', variables: () => ({}) },
    rest: get('GET /upgrades/programs', () => '/upgrades/programs'),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.programId),
  },
  createUpgradeProgram: {
    graphql: {
      field: 'createUpgradeProgram',
      document: mutation('createUpgradeProgram', 'CreateUpgradeProgramInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /upgrades/programs',
      () => '/upgrades/programs',
      (a) => a.input,
    ),
    args: ({ w, caller }) => ({ input: upgradeProgramInput(w, caller) }),
  },

  // ---------------------------------------------------------------- units
  unit: {
    graphql: byId('unit', UNIT),
    rest: get('GET /units/{id}', (a) => `/units/${a.id}`),
    args: ({ w }) => ({ id: w.unit.id }),
    leaks: (body, _w, caller) => ownerLeaks(body, readsOwnerOfTicketUnit(caller.org)),
  },
  unitWithClosedTicket: {
    graphql: byId('unit', UNIT),
    rest: get('GET /units/{id}', (a) => `/units/${a.id}`),
    args: ({ w }) => ({ id: w.closedUnit.id }),
    leaks: (body, _w, caller) => ownerLeaks(body, readsOwnerOfClosedTicketUnit(caller.org)),
  },
  unitBySerial: {
    graphql: {
      field: 'unitBySerial',
      document: `query($serial: String!, $maker: ID) { unitBySerial(serialNumber: $serial, manufacturerId: $maker) { ${UNIT} } }`,
      variables: (a) => ({ serial: a.serialNumber, maker: a.manufacturerId }),
    },
    rest: get(
      'GET /units:by-serial',
      () => '/units:by-serial',
      (a) => ({ serialNumber: a.serialNumber, manufacturerId: a.manufacturerId }),
    ),
    args: ({ w }) => ({ serialNumber: w.unit.serialNumber, manufacturerId: w.orgs.M.id }),
    leaks: (body, _w, caller) => ownerLeaks(body, readsOwnerOfTicketUnit(caller.org)),
  },
  units: {
    graphql: {
      field: 'units',
      document: `query($serial: String) { units(first: 100, filter: { serialNumber: $serial }) { edges { node { ${UNIT} } } } }`,
      variables: (a) => ({ serial: a.serialNumber }),
    },
    rest: get(
      'GET /units',
      () => '/units',
      (a) => ({ serialNumber: a.serialNumber, first: '100' }),
    ),
    args: ({ w }) => ({ serialNumber: w.unit.serialNumber }),
    listed: (body, w) => idsOf(body).includes(w.unit.id),
    leaks: (body, _w, caller) => ownerLeaks(body, readsOwnerOfTicketUnit(caller.org)),
  },
  unitsByOwner: {
    graphql: {
      field: 'units',
      document: `query($serial: String, $email: String) { units(first: 100, filter: { serialNumber: $serial, ownerEmail: $email }) { edges { node { ${UNIT} } } } }`,
      variables: (a) => ({ serial: a.serialNumber, email: a.ownerEmail }),
    },
    rest: get(
      'GET /units',
      () => '/units',
      (a) => ({ serialNumber: a.serialNumber, ownerEmail: a.ownerEmail, first: '100' }),
    ),
    args: ({ w }) => ({ serialNumber: w.unit.serialNumber, ownerEmail: 'ADA.OWNER@example.com' }),
    listed: (body, w) => idsOf(body).includes(w.unit.id),
    leaks: (body, _w, caller) => ownerLeaks(body, readsOwnerOfTicketUnit(caller.org)),
  },
  closedUnitByOwner: {
    graphql: {
      field: 'units',
      document: `query($name: String, $phone: String) { units(first: 100, filter: { ownerNamePrefix: $name, ownerPhone: $phone }) { edges { node { ${UNIT} } } } }`,
      variables: (a) => ({ name: a.ownerNamePrefix, phone: a.ownerPhone }),
    },
    rest: get(
      'GET /units',
      () => '/units',
      (a) => ({ ownerNamePrefix: a.ownerNamePrefix, ownerPhone: a.ownerPhone, first: '100' }),
    ),
    args: () => ({ ownerNamePrefix: 'ada ow', ownerPhone: '+1 (555) 01-00' }),
    listed: (body, w) => idsOf(body).includes(w.closedUnit.id),
    // S still finds U (its ticket there is open), whose owner it reads: only the closed unit is judged
    leaks: (body, w, caller) =>
      edgesOf(body)
        .filter((n) => n.id === w.closedUnit.id)
        .flatMap((n) => ownerLeaks(n, readsOwnerOfClosedTicketUnit(caller.org))),
  },
  unitHistory: {
    graphql: byId(
      'unit',
      'id history(first: 100) { edges { node { type summary data actor { id } technician { id name } } } }',
    ),
    rest: get(
      'GET /units/{id}/history',
      (a) => `/units/${a.id}/history`,
      () => ({ first: '100' }),
    ),
    args: ({ w }) => ({ id: w.unit.id }),
    leaks: (body, w, caller) => historyLeaks(body, w, caller),
  },
  returnedUnitHistory: {
    graphql: byId('unit', 'id history(first: 100) { edges { node { type summary data actor { id } } } }'),
    rest: get(
      'GET /units/{id}/history',
      (a) => `/units/${a.id}/history`,
      () => ({ first: '100' }),
    ),
    args: ({ w }) => ({ id: w.returns.authorized.lines[0].unit.id }),
    // a unit's history names no return its reader may not see: the return is the retailer's
    leaks: (body, w, caller) =>
      caller.org === 'P' || caller.org === 'R'
        ? []
        : mustNotMention(body, [w.returns.authorized.number], 'the number of a return it may not see'),
  },
  unitServicePlans: {
    graphql: byId('unit', 'id servicePlans { plan { id } startsAt endsAt }'),
    rest: get('GET /units/{id}/service-plans', (a) => `/units/${a.id}/service-plans`),
    args: ({ w }) => ({ id: w.unit.id }),
    leaks: (body, w) => (mentions(body, w.plans.maker) ? [] : ['the attached plan is missing']),
  },
  registerUnit: {
    graphql: {
      field: 'registerUnit',
      document: mutation('registerUnit', 'RegisterUnitInput', UNIT_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /units',
      () => '/units',
      (a) => a.input,
    ),
    args: ({ w, caller }) => ({ input: registerInput(w, caller) }),
  },
  importUnits: {
    rest: {
      route: 'POST /units:import',
      request: (a): RestRequest => ({ method: 'POST', path: '/units:import', ndjson: `${JSON.stringify(a.input)}\n` }),
    },
    args: ({ w, caller }) => ({ input: registerInput(w, caller) }),
  },
  transferOwnership: {
    graphql: {
      field: 'transferOwnership',
      document: mutation('transferOwnership', 'TransferOwnershipInput', UNIT_RESULT),
      variables: (a) => ({ input: { unitId: a.id, newOwner: a.newOwner } }),
    },
    rest: post(
      'POST /units/{id}:transfer',
      (a) => `/units/${a.id}:transfer`,
      (a) => ({ newOwner: a.newOwner }),
    ),
    // not U itself: a change wrongly allowed must not spoil the other rows
    args: async (c) => ({ id: await unitToChange(c), newOwner: { name: 'Bea Buyer', email: 'bea@example.com' } }),
  },
  attachServicePlan: {
    graphql: {
      field: 'attachServicePlan',
      document: mutation('attachServicePlan', 'AttachServicePlanInput', UNIT_RESULT),
      variables: (a) => ({ input: { unitId: a.id, servicePlanId: a.planId, purchasedAt: a.purchasedAt } }),
    },
    rest: post(
      'POST /units/{id}:attachServicePlan',
      (a) => `/units/${a.id}:attachServicePlan`,
      (a) => ({ servicePlanId: a.planId, purchasedAt: a.purchasedAt }),
    ),
    // the maker's plan: any store sells it (docs/rules.md)
    args: async (c) => ({ id: await unitToChange(c), planId: c.w.plans.maker, purchasedAt: c.w.today }),
  },
  attachOtherStoresPlan: {
    graphql: {
      field: 'attachServicePlan',
      document: mutation('attachServicePlan', 'AttachServicePlanInput', UNIT_RESULT),
      variables: (a) => ({ input: { unitId: a.id, servicePlanId: a.planId, purchasedAt: a.purchasedAt } }),
    },
    rest: post(
      'POST /units/{id}:attachServicePlan',
      (a) => `/units/${a.id}:attachServicePlan`,
      (a) => ({ servicePlanId: a.planId, purchasedAt: a.purchasedAt }),
    ),
    args: async (c) => ({ id: await unitToChange(c), planId: c.w.plans.otherRetailer, purchasedAt: c.w.today }),
  },

  // ---------------------------------------------------------------- coverage
  warrantyCoverage: {
    graphql: {
      field: 'warrantyCoverage',
      document: `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { ${COVERAGE} } }`,
      variables: (a) => ({
        q: { serialNumber: a.serialNumber, manufacturerId: a.manufacturerId, failureCategory: 'MECHANICAL' },
      }),
    },
    rest: get(
      'GET /coverage',
      () => '/coverage',
      (a) => ({ serialNumber: a.serialNumber, manufacturerId: a.manufacturerId, failureCategory: 'MECHANICAL' }),
    ),
    args: ({ w }) => ({ serialNumber: w.unit.serialNumber, manufacturerId: w.orgs.M.id }),
    leaks: (body, w, caller) => coverageLeaks([body], w, caller),
  },
  warrantyCoverages: {
    graphql: {
      field: 'warrantyCoverages',
      document: `query($q: [CoverageQuery!]!) { warrantyCoverages(queries: $q) { ${COVERAGE} } }`,
      variables: (a) => ({ q: [{ serialNumber: a.serialNumber, manufacturerId: a.manufacturerId }] }),
    },
    rest: post(
      'POST /coverage:batch',
      () => '/coverage:batch',
      (a) => ({ queries: [{ serialNumber: a.serialNumber, manufacturerId: a.manufacturerId }] }),
    ),
    args: ({ w }) => ({ serialNumber: w.unit.serialNumber, manufacturerId: w.orgs.M.id }),
    leaks: (body, w, caller) => coverageLeaks(Array.isArray(body) ? body : [body], w, caller),
  },

  // ---------------------------------------------------------------- repairs
  repairTicket: {
    graphql: byId('repairTicket', TICKET),
    rest: get('GET /repair-tickets/{id}', (a) => `/repair-tickets/${a.id}`),
    args: ({ w }) => ({ id: w.ticket.id }),
    leaks: (body, w, caller, api) => ticketLeaks(body, w, caller, api),
  },
  repairTickets: {
    graphql: {
      field: 'repairTickets',
      document: `{ repairTickets(first: 100) { edges { node { ${TICKET} } } } }`,
      variables: () => ({}),
    },
    rest: get(
      'GET /repair-tickets',
      () => '/repair-tickets',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.ticket.id),
    leaks: (body, w, caller, api) =>
      edgesOf(body)
        .filter((n) => n.id === w.ticket.id)
        .flatMap((n) => ticketLeaks(n, w, caller, api)),
  },
  openRepairTicket: {
    graphql: {
      field: 'openRepairTicket',
      document: mutation('openRepairTicket', 'OpenRepairTicketInput', TICKET_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /repair-tickets',
      () => '/repair-tickets',
      (a) => a.input,
    ),
    // by serial number: how a store or center takes in a unit it cannot see (the contract's intake)
    args: async ({ w, fresh, caller, allowed }) => {
      const unit = allowed ? await fresh.soldLongAgo() : w.intakeUnit;
      const centerId = caller.org === 'S2' ? w.orgs.S2.id : w.orgs.S.id;
      return {
        input: {
          serviceCenterId: centerId,
          serialNumber: unit.serialNumber,
          manufacturerId: w.orgs.M.id,
          failureCategory: 'MECHANICAL',
          reportedIssue: 'Leaks water',
        },
      };
    },
  },
  updateRepairTicket: {
    graphql: {
      field: 'updateRepairTicket',
      document: mutation('updateRepairTicket', 'UpdateRepairTicketInput', TICKET_RESULT),
      variables: (a) => ({
        input: { ticketId: a.id, expectedVersion: a.version, diagnosis: 'Worn fan bearing', note: 'Diagnosed' },
      }),
    },
    rest: {
      route: 'PATCH /repair-tickets/{id}',
      request: (a) => ({
        method: 'PATCH',
        path: `/repair-tickets/${a.id}`,
        body: { expectedVersion: a.version, diagnosis: 'Worn fan bearing', note: 'Diagnosed' },
      }),
    },
    args: ({ w }) => ticketArgs(w),
  },
  assignTechnician: {
    graphql: {
      field: 'assignTechnician',
      document: mutation('assignTechnician', 'AssignTechnicianInput', TICKET_RESULT),
      variables: (a) => ({ input: { ticketId: a.id, expectedVersion: a.version, technicianId: a.technicianId } }),
    },
    rest: post(
      'POST /repair-tickets/{id}:assignTechnician',
      (a) => `/repair-tickets/${a.id}:assignTechnician`,
      (a) => ({ expectedVersion: a.version, technicianId: a.technicianId }),
    ),
    args: async ({ w }) => ({ ...(await ticketArgs(w)), technicianId: w.technician.id }),
  },
  approveRepairEstimate: {
    graphql: {
      field: 'approveRepairEstimate',
      document: mutation('approveRepairEstimate', 'ApproveRepairEstimateInput', TICKET_RESULT),
      variables: (a) => ({ input: { ticketId: a.id, expectedVersion: a.version } }),
    },
    rest: post(
      'POST /repair-tickets/{id}:approveEstimate',
      (a) => `/repair-tickets/${a.id}:approveEstimate`,
      (a) => ({ expectedVersion: a.version }),
    ),
    args: async ({ w, fresh, allowed }) => ticketArgs(w, allowed ? (await fresh.ticket()).id : w.ticket.id),
  },

  repairTicketUpdated: {
    graphql: {
      field: 'repairTicketUpdated',
      document: `subscription($id: ID!) { repairTicketUpdated(ticketId: $id) { ${TICKET} } }`,
      variables: (a) => ({ id: a.id }),
    },
    args: ({ w }) => ({ id: w.ticket.id }),
    leaks: (body, w, caller, api) => ticketLeaks(body, w, caller, api),
    subscription: true,
  },

  // ---------------------------------------------------------------- warranty claims
  warrantyClaim: {
    graphql: byId('warrantyClaim', 'id number status claimant { id }'),
    rest: get('GET /warranty-claims/{id}', (a) => `/warranty-claims/${a.id}`),
    args: ({ w }) => ({ id: w.claim.id }),
  },
  retailerClaim: {
    graphql: byId('warrantyClaim', 'id number status claimant { id }'),
    rest: get('GET /warranty-claims/{id}', (a) => `/warranty-claims/${a.id}`),
    args: ({ w }) => ({ id: w.retailerClaim.id }),
  },
  warrantyClaims: {
    graphql: {
      field: 'warrantyClaims',
      document: '{ warrantyClaims(first: 100) { edges { node { id } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /warranty-claims',
      () => '/warranty-claims',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.claim.id),
  },
  submitWarrantyClaim: {
    graphql: {
      field: 'submitWarrantyClaim',
      document: mutation('submitWarrantyClaim', 'SubmitWarrantyClaimInput', CLAIM_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /warranty-claims',
      () => '/warranty-claims',
      (a) => a.input,
    ),
    args: ({ w }) => ({ input: claimInput(w) }),
  },
  reviewWarrantyClaim: {
    graphql: {
      field: 'reviewWarrantyClaim',
      document: mutation('reviewWarrantyClaim', 'ReviewWarrantyClaimInput', CLAIM_RESULT),
      variables: (a) => ({
        input: {
          claimId: a.id,
          expectedVersion: a.version,
          decision: 'REQUEST_INFO',
          note: 'Serial label photo, please',
        },
      }),
    },
    rest: post(
      'POST /warranty-claims/{id}:review',
      (a) => `/warranty-claims/${a.id}:review`,
      (a) => ({ expectedVersion: a.version, decision: 'REQUEST_INFO', note: 'Serial label photo, please' }),
    ),
    args: async ({ w, fresh, allowed }) => {
      const id = allowed ? (await fresh.claim(w.unit.id)).id : w.claim.id;
      return { id, version: await versionOf(w.t, 'warranty_claims', id) };
    },
  },
  answerClaimInfoRequest: {
    graphql: {
      field: 'answerClaimInfoRequest',
      document: mutation('answerClaimInfoRequest', 'AnswerClaimInfoRequestInput', CLAIM_RESULT),
      variables: (a) => ({ input: { claimId: a.id, expectedVersion: a.version, note: 'Photo attached' } }),
    },
    rest: post(
      'POST /warranty-claims/{id}:answer',
      (a) => `/warranty-claims/${a.id}:answer`,
      (a) => ({ expectedVersion: a.version, note: 'Photo attached' }),
    ),
    args: async ({ w, fresh, allowed }) => {
      const id = allowed ? (await fresh.claimNeedingInfo(w.unit.id)).id : w.claimNeedsInfo.id;
      return { id, version: await versionOf(w.t, 'warranty_claims', id) };
    },
  },
  cancelWarrantyClaim: {
    graphql: {
      field: 'cancelWarrantyClaim',
      document: mutation('cancelWarrantyClaim', 'CancelWarrantyClaimInput', CLAIM_RESULT),
      variables: (a) => ({ input: { claimId: a.id, expectedVersion: a.version, note: 'Filed by mistake' } }),
    },
    rest: post(
      'POST /warranty-claims/{id}:cancel',
      (a) => `/warranty-claims/${a.id}:cancel`,
      (a) => ({ expectedVersion: a.version, note: 'Filed by mistake' }),
    ),
    args: async ({ w, fresh, allowed }) => {
      const id = allowed ? (await fresh.claim(w.unit.id)).id : w.claim.id;
      return { id, version: await versionOf(w.t, 'warranty_claims', id) };
    },
  },

  // ---------------------------------------------------------------- returns
  returnPolicies: {
    graphql: { field: 'returnPolicies', document: '{ returnPolicies { id retailer { id } } }', variables: () => ({}) },
    rest: get('GET /return-policies', () => '/return-policies'),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.policyId),
  },
  createReturnPolicy: {
    graphql: {
      field: 'createReturnPolicy',
      document: mutation('createReturnPolicy', 'CreateReturnPolicyInput', 'id'),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /return-policies',
      () => '/return-policies',
      (a) => a.input,
    ),
    // a category of its own per call: a retailer has one policy per category
    args: () => ({
      input: {
        name: 'Matrix policy',
        categories: [`CAT-${uniqueSerial()}`],
        windowDays: 30,
        restockingFeePercent: '10',
        allowedResolutions: ['REFUND'],
      },
    }),
  },
  returnAuthorization: {
    graphql: byId('returnAuthorization', 'id number status retailer { id }'),
    rest: get('GET /returns/{id}', (a) => `/returns/${a.id}`),
    args: ({ w }) => ({ id: w.returns.authorized.id }),
  },
  returnAuthorizations: {
    graphql: {
      field: 'returnAuthorizations',
      document: '{ returnAuthorizations(first: 100) { edges { node { id } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /returns',
      () => '/returns',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.returns.authorized.id),
  },
  requestReturn: {
    graphql: {
      field: 'requestReturn',
      document: mutation('requestReturn', 'RequestReturnInput', RETURN_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /returns',
      () => '/returns',
      (a) => a.input,
    ),
    args: async ({ w, fresh, allowed }) => {
      const unit = allowed ? await fresh.sold(addDaysUtc(w.today, -3)) : w.returnableUnit;
      return {
        input: {
          lines: [{ unitId: unit.id, condition: 'OPENED', reason: 'CHANGED_MIND', requestedResolution: 'REFUND' }],
        },
      };
    },
  },
  transitionReturn: {
    graphql: {
      field: 'transitionReturn',
      document: mutation('transitionReturn', 'TransitionReturnInput', RETURN_RESULT),
      variables: (a) => ({ input: { returnId: a.id, expectedVersion: a.version, to: 'RECEIVED' } }),
    },
    rest: post(
      'POST /returns/{id}:transition',
      (a) => `/returns/${a.id}:transition`,
      (a) => ({ expectedVersion: a.version, to: 'RECEIVED' }),
    ),
    args: async ({ w, fresh, allowed }) => {
      const id = allowed ? (await fresh.ret('AUTHORIZED')).id : w.returns.authorized.id;
      return { id, version: await versionOf(w.t, 'return_authorizations', id) };
    },
  },
  inspectReturn: {
    graphql: {
      field: 'inspectReturn',
      document: mutation('inspectReturn', 'InspectReturnInput', RETURN_RESULT),
      variables: (a) => ({
        input: {
          returnId: a.id,
          expectedVersion: a.version,
          lines: a.lines.map((lineId: string) => ({ lineId, condition: 'OPENED', grade: 'A' })),
        },
      }),
    },
    rest: post(
      'POST /returns/{id}:inspect',
      (a) => `/returns/${a.id}:inspect`,
      (a) => ({
        expectedVersion: a.version,
        lines: a.lines.map((lineId: string) => ({ lineId, condition: 'OPENED', grade: 'A' })),
      }),
    ),
    args: async ({ w, fresh, allowed }) =>
      returnArgs(w, allowed ? (await fresh.ret('RECEIVED')).id : w.returns.received.id),
  },
  resolveReturn: {
    graphql: {
      field: 'resolveReturn',
      document: mutation('resolveReturn', 'ResolveReturnInput', RETURN_RESULT),
      variables: (a) => ({
        input: {
          returnId: a.id,
          expectedVersion: a.version,
          lines: a.lines.map((lineId: string) => ({ lineId, resolution: 'REFUND' })),
        },
      }),
    },
    rest: post(
      'POST /returns/{id}:resolve',
      (a) => `/returns/${a.id}:resolve`,
      (a) => ({
        expectedVersion: a.version,
        lines: a.lines.map((lineId: string) => ({ lineId, resolution: 'REFUND' })),
      }),
    ),
    args: async ({ w, fresh, allowed }) =>
      returnArgs(w, allowed ? (await fresh.ret('INSPECTED')).id : w.returns.inspected.id),
  },

  // ---------------------------------------------------------------- upgrades
  upgradeEligibility: {
    graphql: {
      field: 'upgradeEligibility',
      document:
        'query($id: ID!) { upgradeEligibility(unitId: $id) { unit { id } offers { eligible program { id } } } }',
      variables: (a) => ({ id: a.id }),
    },
    rest: get('GET /upgrades/eligibility/{unitId}', (a) => `/upgrades/eligibility/${a.id}`),
    args: ({ w }) => ({ id: w.upgradableUnit.id }),
  },
  upgradeRequests: {
    graphql: {
      field: 'upgradeRequests',
      document: '{ upgradeRequests(first: 100) { edges { node { id status } } } }',
      variables: () => ({}),
    },
    rest: get(
      'GET /upgrades',
      () => '/upgrades',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.upgrade.id),
  },
  upgradeRequest: {
    graphql: byId('upgradeRequest', 'id status program { id }'),
    rest: get('GET /upgrades/{id}', (a) => `/upgrades/${a.id}`),
    args: ({ w }) => ({ id: w.upgrade.id }),
  },
  requestUpgrade: {
    graphql: {
      field: 'requestUpgrade',
      document: mutation('requestUpgrade', 'RequestUpgradeInput', UPGRADE_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /upgrades',
      () => '/upgrades',
      (a) => a.input,
    ),
    args: async ({ w, fresh, allowed }) => {
      const unit = allowed ? await fresh.soldLongAgo() : w.upgradableUnit;
      return { input: { programId: w.programId, targetProductId: w.targetProduct.id, unitId: unit.id } };
    },
  },
  receiveTradeIn: {
    graphql: {
      field: 'receiveTradeIn',
      document: mutation('receiveTradeIn', 'ReceiveTradeInInput', UPGRADE_RESULT),
      variables: (a) => ({ input: { upgradeId: a.id, expectedVersion: a.version } }),
    },
    rest: post(
      'POST /upgrades/{id}:receiveTradeIn',
      (a) => `/upgrades/${a.id}:receiveTradeIn`,
      (a) => ({ expectedVersion: a.version }),
    ),
    args: upgradeArgs,
  },
  completeUpgrade: {
    graphql: {
      field: 'completeUpgrade',
      document: mutation('completeUpgrade', 'CompleteUpgradeInput', UPGRADE_RESULT),
      variables: (a) => ({
        input: {
          upgradeId: a.id,
          expectedVersion: a.version,
          grade: 'A',
          newSerialNumber: a.serial,
          purchaseDate: a.today,
        },
      }),
    },
    rest: post(
      'POST /upgrades/{id}:complete',
      (a) => `/upgrades/${a.id}:complete`,
      (a) => ({ expectedVersion: a.version, grade: 'A', newSerialNumber: a.serial, purchaseDate: a.today }),
    ),
    args: async (c) => ({ ...(await upgradeArgs(c)), serial: uniqueSerial(), today: c.w.today }),
  },
  cancelUpgrade: {
    graphql: {
      field: 'cancelUpgrade',
      document: `mutation($id: ID!, $v: Int!) { cancelUpgrade(upgradeId: $id, expectedVersion: $v) { ${UPGRADE_RESULT} } }`,
      variables: (a) => ({ id: a.id, v: a.version }),
    },
    rest: post(
      'POST /upgrades/{id}:cancel',
      (a) => `/upgrades/${a.id}:cancel`,
      (a) => ({ expectedVersion: a.version }),
    ),
    args: upgradeArgs,
  },

  // ---------------------------------------------------------------- webhooks
  webhookEventTypes: {
    graphql: {
      field: 'webhookEventTypes',
      document: '{ webhookEventTypes { name description } }',
      variables: () => ({}),
    },
    rest: get('GET /webhook-event-types', () => '/webhook-event-types'),
    args: () => ({}),
    listed: (body) => (Array.isArray(body) ? body : []).some((type: any) => type.name === 'unit.registered'),
  },
  webhookEndpoints: {
    graphql: {
      field: 'webhookEndpoints',
      document: `{ webhookEndpoints(first: 100) { edges { node { ${WEBHOOK_ENDPOINT} } } } }`,
      variables: () => ({}),
    },
    rest: get(
      'GET /webhook-endpoints',
      () => '/webhook-endpoints',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.webhookEndpoint.id),
    leaks: (body) => secretLeaks(body),
  },
  webhookEndpoint: {
    rest: get('GET /webhook-endpoints/{id}', (a) => `/webhook-endpoints/${a.id}`),
    args: ({ w }) => ({ id: w.webhookEndpoint.id }),
    leaks: (body) => secretLeaks(body),
  },
  createWebhookEndpoint: {
    graphql: {
      field: 'createWebhookEndpoint',
      document: mutation(
        'createWebhookEndpoint',
        'CreateWebhookEndpointInput',
        `__typename ... on WebhookEndpointWithSecret { endpoint { id } } ${ERR}`,
      ),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /webhook-endpoints',
      () => '/webhook-endpoints',
      (a) => a.input,
    ),
    args: () => ({ input: { url: 'http://127.0.0.1:9/hook', description: 'Matrix endpoint' } }),
  },
  updateWebhookEndpoint: {
    graphql: {
      field: 'updateWebhookEndpoint',
      document: mutation(
        'updateWebhookEndpoint',
        'UpdateWebhookEndpointInput',
        `__typename ... on WebhookEndpoint { id version } ${ERR}`,
      ),
      variables: (a) => ({ input: { id: a.id, expectedVersion: a.version, description: 'Renamed' } }),
    },
    rest: patch(
      'PATCH /webhook-endpoints/{id}',
      (a) => `/webhook-endpoints/${a.id}`,
      (a) => ({ expectedVersion: a.version, description: 'Renamed' }),
    ),
    args: webhookEndpointArgs,
  },
  deleteWebhookEndpoint: {
    graphql: {
      field: 'deleteWebhookEndpoint',
      document: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
      variables: (a) => ({ id: a.id }),
    },
    rest: del('DELETE /webhook-endpoints/{id}', (a) => `/webhook-endpoints/${a.id}`),
    args: webhookEndpointArgs,
  },
  rotateWebhookSecret: {
    graphql: {
      field: 'rotateWebhookSecret',
      document: mutation(
        'rotateWebhookSecret',
        'RotateWebhookSecretInput',
        `__typename ... on WebhookEndpointWithSecret { endpoint { id version } } ${ERR}`,
      ),
      variables: (a) => ({ input: { id: a.id, expectedVersion: a.version } }),
    },
    rest: post(
      'POST /webhook-endpoints/{id}:rotateSecret',
      (a) => `/webhook-endpoints/${a.id}:rotateSecret`,
      (a) => ({ expectedVersion: a.version }),
    ),
    args: webhookEndpointArgs,
  },
  sendTestWebhook: {
    graphql: {
      field: 'sendTestWebhook',
      document: `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { ${WEBHOOK_DELIVERY} } }`,
      variables: (a) => ({ id: a.id }),
    },
    rest: post(
      'POST /webhook-endpoints/{id}:sendTest',
      (a) => `/webhook-endpoints/${a.id}:sendTest`,
      () => ({}),
    ),
    // each allowed call adds a delivery of its own to the world's endpoint
    args: ({ w }) => ({ id: w.webhookEndpoint.id }),
  },
  recoverWebhookDeliveries: {
    graphql: {
      field: 'recoverWebhookDeliveries',
      document: mutation('recoverWebhookDeliveries', 'RecoverWebhookDeliveriesInput', 'count'),
      variables: (a) => ({ input: { endpointId: a.id, since: a.since } }),
    },
    rest: post(
      'POST /webhook-endpoints/{id}:recoverDeliveries',
      (a) => `/webhook-endpoints/${a.id}:recoverDeliveries`,
      (a) => ({ since: a.since }),
    ),
    // an allowed call recovers a FAILED delivery of its own endpoint (recovering nothing changes nothing)
    args: async ({ w, fresh, allowed }) => ({
      id: allowed ? (await fresh.webhookEndpointWithFailedDelivery()).id : w.webhookEndpoint.id,
      since: new Date(Date.now() - 3600_000).toISOString(),
    }),
  },
  webhookDeliveries: {
    graphql: {
      field: 'webhookDeliveries',
      document: `{ webhookDeliveries(first: 100) { edges { node { ${WEBHOOK_DELIVERY} } } } }`,
      variables: () => ({}),
    },
    rest: get(
      'GET /webhook-deliveries',
      () => '/webhook-deliveries',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.webhookDelivery.id),
  },
  webhookDelivery: {
    graphql: byId('webhookDelivery', WEBHOOK_DELIVERY),
    rest: get('GET /webhook-deliveries/{id}', (a) => `/webhook-deliveries/${a.id}`),
    args: ({ w }) => ({ id: w.webhookDelivery.id }),
  },
  retryWebhookDelivery: {
    graphql: {
      field: 'retryWebhookDelivery',
      document: `mutation($id: ID!) { retryWebhookDelivery(id: $id) { ${WEBHOOK_DELIVERY} } }`,
      variables: (a) => ({ id: a.id }),
    },
    rest: post(
      'POST /webhook-deliveries/{id}:retry',
      (a) => `/webhook-deliveries/${a.id}:retry`,
      () => ({}),
    ),
    // an allowed call records one more attempt of the world's delivery
    args: ({ w }) => ({ id: w.webhookDelivery.id }),
  },

  // ---------------------------------------------------------------- outreach: journeys
  outreachJourneys: {
    graphql: {
      field: 'outreachJourneys',
      document: `{ outreachJourneys { ${OUTREACH_JOURNEY} } }`,
      variables: () => ({}),
    },
    rest: get('GET /outreach-journeys', () => '/outreach-journeys'),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.outreach.couponJourneyId),
  },
  getOutreachJourney: {
    rest: get('GET /outreach-journeys/{id}', (a) => `/outreach-journeys/${a.id}`),
    args: ({ w }) => ({ id: w.outreach.couponJourneyId }),
  },
  createOutreachJourney: {
    graphql: {
      field: 'createOutreachJourney',
      document: mutation('createOutreachJourney', 'CreateOutreachJourneyInput', JOURNEY_RESULT),
      variables: (a) => ({ input: a.input }),
    },
    rest: post(
      'POST /outreach-journeys',
      () => '/outreach-journeys',
      (a) => a.input,
    ),
    args: () => ({ input: { name: 'Matrix welcome', kind: 'WARRANTY_INFO', trigger: 'UNIT_REGISTERED' } }),
  },
  updateOutreachJourney: {
    graphql: {
      field: 'updateOutreachJourney',
      document: mutation('updateOutreachJourney', 'UpdateOutreachJourneyInput', JOURNEY_RESULT),
      variables: (a) => ({ input: { id: a.id, expectedVersion: a.version, name: 'Renamed' } }),
    },
    rest: patch(
      'PATCH /outreach-journeys/{id}',
      (a) => `/outreach-journeys/${a.id}`,
      (a) => ({ expectedVersion: a.version, name: 'Renamed' }),
    ),
    // an allowed call renames a journey of its own; the refusals try the world's
    args: async ({ w, fresh, allowed }) => {
      const id = allowed ? (await fresh.journey()).id : w.outreach.couponJourneyId;
      return { id, version: await versionOf(w.t, 'outreach_journeys', id) };
    },
  },
  // ---------------------------------------------------------------- catalog: product resources
  productResources: {
    rest: get('GET /products/{id}/resources', (a) => `/products/${a.id}/resources`),
    args: ({ w }) => ({ id: w.product.id }),
  },
  addProductResource: {
    graphql: {
      field: 'addProductResource',
      document: mutation('addProductResource', 'AddProductResourceInput', 'id resources { id }'),
      variables: (a) => ({ input: { productId: a.id, ...a.input } }),
    },
    rest: post(
      'POST /products/{id}/resources',
      (a) => `/products/${a.id}/resources`,
      (a) => a.input,
    ),
    args: ({ w }) => ({
      id: w.product.id,
      input: { kind: 'MANUAL', title: 'Matrix manual', url: 'https://example.com/m' },
    }),
  },
  removeProductResource: {
    graphql: {
      field: 'removeProductResource',
      document:
        'mutation($id: ID!, $resourceId: ID!) { removeProductResource(productId: $id, resourceId: $resourceId) { id } }',
      variables: (a) => ({ id: a.id, resourceId: a.resourceId }),
    },
    rest: del('DELETE /products/{id}/resources/{resourceId}', (a) => `/products/${a.id}/resources/${a.resourceId}`),
    // an allowed call removes a resource of its own; the refusals share one until a call changes something
    args: async ({ w, fresh, allowed, cache }) => ({
      id: w.product.id,
      resourceId: allowed
        ? (await fresh.productResource()).id
        : (cache.resource ??= (await fresh.productResource()).id),
    }),
  },

  // ---------------------------------------------------------------- outreach: messages, coupons, surveys, owner links
  outreachMessages: {
    graphql: {
      field: 'outreachMessages',
      document: `{ outreachMessages(first: 100) { edges { node { ${OUTREACH_MESSAGE} } } } }`,
      variables: () => ({}),
    },
    rest: get(
      'GET /outreach-messages',
      () => '/outreach-messages',
      () => ({ first: '100' }),
    ),
    args: () => ({}),
    listed: (body, w) => idsOf(body).includes(w.outreach.messageId),
    leaks: (body) => mustNotMention(body, ['ada.owner@example.com'], "the owner's whole address"),
  },
  outreachMessage: {
    rest: get('GET /outreach-messages/{id}', (a) => `/outreach-messages/${a.id}`),
    args: ({ w }) => ({ id: w.outreach.messageId }),
    leaks: (body) => mustNotMention(body, ['ada.owner@example.com'], "the owner's whole address"),
  },
  // GraphQL answers null for a code that is not the caller's (a list of at most one), REST 404
  coupon: {
    graphql: {
      field: 'coupon',
      document: `query($code: String!) { coupon(code: $code) { code redeemedAt journey { id } unit { id } } }`,
      variables: (a) => ({ code: a.code }),
    },
    args: ({ w }) => ({ code: w.outreach.couponCode.toLowerCase() }),
    listed: (body, w) => body?.code === w.outreach.couponCode,
  },
  getCoupon: {
    rest: get('GET /coupons/{code}', (a) => `/coupons/${a.code}`),
    args: ({ w }) => ({ code: w.outreach.couponCode }),
  },
  redeemCoupon: {
    graphql: {
      field: 'redeemCoupon',
      document: mutation('redeemCoupon', 'RedeemCouponInput', `__typename ... on Coupon { code redeemedAt } ${ERR}`),
      variables: (a) => ({ input: { code: a.code, orderReference: 'ORDER-MATRIX' } }),
    },
    rest: post(
      'POST /coupons/{code}:redeem',
      (a) => `/coupons/${a.code}:redeem`,
      () => ({ orderReference: 'ORDER-MATRIX' }),
    ),
    // an allowed call redeems a coupon of its own; the refusals try the world's
    args: async ({ w, fresh, allowed }) => ({
      code: allowed ? (await fresh.coupon(w.outreach.couponJourneyId, w.unit.id)).code : w.outreach.couponCode,
    }),
  },
  surveyResponses: {
    graphql: {
      field: 'surveyResponses',
      document:
        'query($id: ID!) { surveyResponses(journeyId: $id) { totalCount edges { node { id score unit { id } } } } }',
      variables: (a) => ({ id: a.id }),
    },
    rest: get('GET /outreach-journeys/{id}/survey-responses', (a) => `/outreach-journeys/${a.id}/survey-responses`),
    args: ({ w }) => ({ id: w.outreach.surveyJourneyId }),
  },
  surveyStats: {
    graphql: {
      field: 'surveyStats',
      document: 'query($id: ID!) { surveyStats(journeyId: $id) { responses netPromoterScore } }',
      variables: (a) => ({ id: a.id }),
    },
    rest: get('GET /outreach-journeys/{id}/survey-stats', (a) => `/outreach-journeys/${a.id}/survey-stats`),
    args: ({ w }) => ({ id: w.outreach.surveyJourneyId }),
  },
  previewOutreach: {
    graphql: {
      field: 'previewOutreach',
      document: 'query($id: ID!, $unitId: ID!) { previewOutreach(journeyId: $id, unitId: $unitId) { subject } }',
      variables: (a) => ({ id: a.id, unitId: a.unitId }),
    },
    rest: get(
      'GET /outreach-journeys/{id}/preview',
      (a) => `/outreach-journeys/${a.id}/preview`,
      (a) => ({ unitId: a.unitId }),
    ),
    args: ({ w }) => ({ id: w.outreach.couponJourneyId, unitId: w.unit.id }),
  },
  ownerPageUrl: {
    graphql: {
      field: 'ownerPageUrl',
      document: 'query($id: ID!) { ownerPageUrl(unitId: $id) }',
      variables: (a) => ({ id: a.id }),
    },
    rest: get('GET /units/{id}/owner-page-url', (a) => `/units/${a.id}/owner-page-url`),
    args: ({ w }) => ({ id: w.unit.id }),
  },

  // ---------------------------------------------------------------- node(id): the same rules by another door
  nodeUnit: nodeOf(
    (w) => w.unit.id,
    `... on Unit { ${UNIT} }`,
    (body, _w, caller) => ownerLeaks(body, readsOwnerOfTicketUnit(caller.org)),
  ),
  nodeTicket: nodeOf(
    (w) => w.ticket.id,
    `... on RepairTicket { ${TICKET} }`,
    (body, w, caller) => ticketLeaks(body, w, caller, 'GraphQL'),
  ),
  nodeClaim: nodeOf((w) => w.claim.id, '... on WarrantyClaim { number }'),
  nodeReturn: nodeOf((w) => w.returns.authorized.id, '... on ReturnAuthorization { number }'),
  nodeUpgrade: nodeOf((w) => w.upgrade.id, '... on UpgradeRequest { status }'),
  nodeProduct: nodeOf((w) => w.product.id, '... on Product { sku }'),
  nodeTechnician: nodeOf((w) => w.technician.id, '... on Technician { name }'),
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

function nodeOf(id: (w: World) => string, selection: string, leaks?: Operation['leaks']): Operation {
  return {
    graphql: {
      field: 'node',
      document: `query($id: ID!) { node(id: $id) { id __typename ${selection} } }`,
      variables: (a) => ({ id: a.id }),
    },
    args: ({ w }) => ({ id: id(w) }),
    leaks,
  };
}

async function returnArgs(w: World, id: string) {
  const lines = await sqlQuery<{ id: string }>(w.t, `SELECT id FROM return_lines WHERE return_id = $1 ORDER BY id`, [
    id,
  ]);
  return { id, version: await versionOf(w.t, 'return_authorizations', id), lines: lines.map((l) => l.id) };
}

/** docs/rules.md: coverage is open to all, but `unit` is null, and no owner shows, for a caller who may not see the unit. */
function coverageLeaks(checks: any[], w: World, caller: Caller): string[] {
  return checks.flatMap((check) => {
    const unitId = check?.unit?.id ?? check?.unitId ?? null;
    if (seesUnit(caller.org))
      return unitId === w.unit.id
        ? ownerLeaks(check, readsOwnerOfTicketUnit(caller.org))
        : ['the unit is missing for a caller who may see it'];
    return [
      ...(check?.unit ? ['the unit is shown to a caller who may not see it'] : []),
      ...mustNotMention(check, OWNER_TEXT, "the unit's owner"),
    ];
  });
}

/**
 * docs/rules.md: the ticket's viewers see the center, not its technicians; an opener that is neither
 * the unit's retailer nor its manufacturer sees, on its ticket, the unit's product, serial number
 * and coverage, nothing more.
 */
function ticketLeaks(body: any, w: World, caller: Caller, api: Api): string[] {
  const problems = technicianLeaks(body, w, caller);
  if (caller.org === 'Ro') {
    problems.push(...mustNotMention(body, OWNER_TEXT, "the unit's owner"));
    if (api === 'GraphQL') {
      const unit = body?.unit;
      if (!unit || unit.serialNumber !== w.unit.serialNumber || unit.product?.id !== w.product.id)
        problems.push("the unit's product and serial number are missing");
      if (unit?.purchasePrice) problems.push('shows the purchase price');
      if (unit?.retailer) problems.push('shows the retailer');
      if (unit?.servicePlans?.length) problems.push('shows the service plans');
    } else {
      problems.push(
        ...mustNotMention(
          body,
          [w.orgs.R.id, w.plans.maker, '500.00'],
          'the unit beyond product, serial number and coverage',
        ),
      );
    }
  } else if (readsOwnerOfTicketUnit(caller.org) && api === 'GraphQL' && !mentions(body?.unit, 'Ada Owner')) {
    problems.push('the owner is missing for a caller who may read it');
  }
  return problems;
}

/** The arguments of a row as the text of a failure message. */
export const describeArgs = (a: Args) => JSON.stringify(a).slice(0, 200);
