import type { ApiKeyRole, CreateProductInput, RegisterUnitInput, WarrantyTermsInput } from './generated/graphql.js';
import { operation, type TypedDocument } from './graphql-documents.js';
import { contractMismatches } from './openapi-validator.js';
import type { TestApp } from './test-app.js';
import { PLATFORM_KEY } from './test-app.js';

export interface GqlResponse<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions: Record<string, any> }[];
  headers: Record<string, string>;
}

/**
 * A GraphQL call with an API key; returns data and errors as the client sees them. Given an
 * operation of graphql/*.graphql (`operation(name)`), its variables are checked and its data typed.
 */
export async function gql<TResult, TVariables>(
  t: TestApp,
  key: string | null,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  headers?: Record<string, string>,
): Promise<GqlResponse<TResult>>;
/**
 * Untyped (data is `any`): a document written as text in a spec. Not for a typed operation, so
 * that variables that do not fit its types fail the type-check instead of silently untyping it.
 */
export async function gql<Q extends string>(
  t: TestApp,
  key: string | null,
  query: Q & (Q extends TypedDocument<unknown, unknown> ? never : unknown),
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GqlResponse>;
export async function gql(
  t: TestApp,
  key: string | null,
  query: string,
  variables: unknown = {},
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
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

/** Asserts a union result is the success type and returns it, as that member of the union. */
export function assertSuccess<T extends { __typename?: string }, N extends NonNullable<T['__typename']>>(
  result: T,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (result?.__typename !== typename) throw new Error(`expected ${typename}, got ${JSON.stringify(result)}`);
  return result as Extract<T, { __typename?: N }>;
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

const CREATE_ORGANIZATION = operation('CreateTenantOrganization');
const CREATE_API_KEY = operation('CreateTenantApiKey');
const CREATE_PRODUCT = operation('CreateTestProduct');
const REGISTER_UNIT = operation('RegisterUnit');

/** The data of a call that must succeed; a GraphQL error fails the test with what came back. */
export function dataOf<T>(res: GqlResponse<T>): T {
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

/** An organization with ADMIN, STAFF and READONLY keys, made as the platform operator would. */
export async function createTenant(
  t: TestApp,
  kind: 'MANUFACTURER' | 'RETAILER' | 'SERVICE_CENTER',
  name = `${kind} ${++counter}`,
): Promise<Tenant> {
  const laborTerms =
    kind === 'SERVICE_CENTER' ? { laborRate: { amount: '90.00', currency: 'USD' }, turnaroundDays: 5 } : {};
  const org = await gql(t, PLATFORM_KEY, CREATE_ORGANIZATION, { input: { name, kind, ...laborTerms } });
  const id = dataOf(org).createOrganization.id;
  return { id, kind, ...(await roleKeys(t, id)) };
}

/** ADMIN, STAFF and READONLY keys of an organization, made as the platform operator would. */
export async function roleKeys(t: TestApp, organizationId: string) {
  const key = async (role: ApiKeyRole) => {
    const res = await gql(t, PLATFORM_KEY, CREATE_API_KEY, {
      input: { organizationId, name: `${role} key`, role },
    });
    return dataOf(res).createApiKey.secret;
  };
  return { admin: await key('ADMIN'), staff: await key('STAFF'), readonly: await key('READONLY') };
}

export const WARRANTY_24M: WarrantyTermsInput = {
  durationMonths: 24,
  startsFrom: 'PURCHASE_DATE',
  coverageTypes: ['PARTS', 'LABOR'],
};

/** A product of this manufacturer; the specs give the overrides as plain records (the server judges them). */
export async function createProduct(t: TestApp, manufacturerKey: string, overrides: Record<string, unknown> = {}) {
  const input = { sku: `SKU-${++counter}`, name: 'Test fridge', category: 'FRIDGE', warrantyTerms: WARRANTY_24M };
  const res = await gql(t, manufacturerKey, CREATE_PRODUCT, {
    input: { ...input, ...overrides } as CreateProductInput,
  });
  return dataOf(res).createProduct;
}

/**
 * Registers a unit and returns the result union's member. Input and answer are untyped like
 * untypedOperation: the specs send refused input with it and read the member without narrowing.
 */
export async function registerUnit(t: TestApp, key: string, input: Record<string, unknown>): Promise<any> {
  return dataOf(await gql(t, key, REGISTER_UNIT, { input: input as RegisterUnitInput })).registerUnit;
}

export const uniqueSerial = () => `SN-${Date.now().toString(36)}-${++counter}`;
