import { contractMismatches } from './openapi-validator.js';
import type { TestApp } from './test-app.js';
import { PLATFORM_KEY } from './test-app.js';

export interface GqlResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions: Record<string, any> }[];
  headers: Record<string, string>;
}

/** A GraphQL call with an API key; returns data and errors as the client sees them. */
export async function gql<T = any>(
  t: TestApp,
  key: string | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  let req = t.http.post('/graphql').set('content-type', 'application/json');
  if (key) req = req.set('authorization', `Bearer ${key}`);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const res = await req.send({ query, variables });
  return {
    status: res.status,
    data: res.body.data,
    errors: res.body.errors,
    headers: res.headers as Record<string, string>,
  };
}

/** The first error's extensions.code, or undefined when there was none. */
export const errorCode = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;

/** Asserts a union result is the success type and returns it. */
export function assertSuccess<T extends { __typename?: string }>(result: T, typename: string): T {
  if (result?.__typename !== typename) throw new Error(`expected ${typename}, got ${JSON.stringify(result)}`);
  return result;
}

/** Asserts a union result is an ErrorResult with this code and returns it. */
export function assertErrorResult<T extends { __typename?: string; errorCode?: string }>(
  result: T,
  errorCode: string,
): T {
  if (result?.errorCode !== errorCode) throw new Error(`expected error ${errorCode}, got ${JSON.stringify(result)}`);
  return result;
}

const parsedOrText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A REST request whose answer is checked against openapi.json when it arrives (its status
 * declared for the operation, its body valid for the declared schema): a mismatch fails the test.
 */
export function checkedAgainstContract<R extends { then: (...args: any[]) => any }>(
  method: string,
  path: string,
  req: R,
): R {
  const then = req.then.bind(req);
  (req as { then: unknown }).then = (onFulfilled?: (res: any) => unknown, onRejected?: (error: unknown) => unknown) =>
    then((res: any) => {
      // a request read with its own parser (postImport) has the raw text as its body
      const raw =
        typeof res.body === 'string' ? res.body : Buffer.isBuffer(res.body) ? res.body.toString('utf8') : undefined;
      const text = typeof res.text === 'string' ? res.text : raw;
      const contentType = String(res.headers['content-type'] ?? '');
      const body =
        raw !== undefined && /json/.test(contentType) && !contentType.includes('ndjson') ? parsedOrText(raw) : res.body;
      const mismatches = contractMismatches(method, path, { status: res.status, headers: res.headers, body, text });
      if (mismatches.length > 0) throw new Error(`The answer does not match openapi.json:\n${mismatches.join('\n')}`);
      return res;
    }).then(onFulfilled, onRejected);
  return req;
}

export function rest(t: TestApp, key: string | null) {
  const withAuth = (r: any) => (key ? r.set('authorization', `Bearer ${key}`) : r);
  return {
    get: (path: string) => checkedAgainstContract('GET', path, withAuth(t.http.get(`/api/v1${path}`))),
    post: (path: string, body?: unknown) =>
      checkedAgainstContract('POST', path, withAuth(t.http.post(`/api/v1${path}`)).send(body as object)),
    patch: (path: string, body?: unknown) =>
      checkedAgainstContract('PATCH', path, withAuth(t.http.patch(`/api/v1${path}`)).send(body as object)),
    delete: (path: string) => checkedAgainstContract('DELETE', path, withAuth(t.http.delete(`/api/v1${path}`))),
  };
}

export interface Tenant {
  id: string;
  kind: string;
  admin: string;
  staff: string;
  readonly: string;
}

let counter = 0;

/** An organization with ADMIN, STAFF and READONLY keys, made as the platform operator would. */
export async function createTenant(
  t: TestApp,
  kind: 'MANUFACTURER' | 'RETAILER' | 'SERVICE_CENTER',
  name = `${kind} ${++counter}`,
): Promise<Tenant> {
  const org = await gql(
    t,
    PLATFORM_KEY,
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
    {
      input: {
        name,
        kind,
        ...(kind === 'SERVICE_CENTER' ? { laborRate: { amount: '90.00', currency: 'USD' }, turnaroundDays: 5 } : {}),
      },
    },
  );
  if (org.errors) throw new Error(JSON.stringify(org.errors));
  const id = org.data.createOrganization.id;
  const key = async (role: string) => {
    const res = await gql(
      t,
      PLATFORM_KEY,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      {
        input: { organizationId: id, name: `${role} key`, role },
      },
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.createApiKey.secret as string;
  };
  return { id, kind, admin: await key('ADMIN'), staff: await key('STAFF'), readonly: await key('READONLY') };
}

export const WARRANTY_24M = { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] };

export async function createProduct(t: TestApp, manufacturerKey: string, overrides: Record<string, unknown> = {}) {
  const res = await gql(
    t,
    manufacturerKey,
    `mutation($input: CreateProductInput!) { createProduct(input: $input) { id sku category } }`,
    {
      input: {
        sku: `SKU-${++counter}`,
        name: 'Test fridge',
        category: 'FRIDGE',
        warrantyTerms: WARRANTY_24M,
        ...overrides,
      },
    },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createProduct as { id: string; sku: string; category: string };
}

export const UNIT_FIELDS = `id serialNumber status version purchaseDate deliveryDate registeredAt owner { name email phone marketingConsent }
  product { id } retailer { id } purchasePrice { amount currency } servicePlans { startsAt endsAt purchasedAt plan { id } }`;

export async function registerUnit(t: TestApp, key: string, input: Record<string, unknown>) {
  const res = await gql(
    t,
    key,
    `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) {
    __typename ... on Unit { ${UNIT_FIELDS} } ... on GenericError { errorCode message field } } }`,
    { input },
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.registerUnit;
}

export const uniqueSerial = () => `SN-${Date.now().toString(36)}-${++counter}`;

/** The error members of a change's result union (GraphQL fragment), as every client asks for them. */
export const CHANGE_ERROR_FIELDS = `... on GenericError { errorCode message field }
  ... on VersionConflictError { errorCode message currentVersion }
  ... on InvalidStateTransitionError { errorCode message fromState toState allowedStates }`;
