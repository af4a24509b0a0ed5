import { DataSource } from 'typeorm';
import { checkedAgainstContract, gql } from './api.js';
import type { ApiKeyFieldsFragment, TechnicianFieldsFragment } from './generated/graphql.js';
import { operation, type TypedDocument } from './graphql-documents.js';
import type { TestApp } from './test-app.js';

/**
 * The organizations module's operations over either protocol, with one answer shape, so a spec
 * can run the same case over GraphQL and REST. GraphQL answers are normalized to the REST shape
 * (relations as ids: organizationId, technicianId, serviceCenterId).
 */
export type Protocol = 'graphql' | 'rest';
export const PROTOCOLS: Protocol[] = ['graphql', 'rest'];

/** A key's secret, no key at all (null), or a raw Authorization header value. */
export type Auth = string | null | { header: string };

export interface Outcome<T = any> {
  protocol: Protocol;
  /** HTTP status of the answer. */
  status: number;
  /** The result (normalized), null when refused. */
  data: T | null;
  /** GraphQL extensions.code or REST problem+json code; undefined on success. */
  code?: string;
  field?: string;
  errorCode?: string;
  correlationId?: string;
  /** REST only: content-type and x-request-id of the answer. */
  contentType?: string;
  requestId?: string;
  raw: any;
}

export function normalizeKey<K extends ApiKeyFieldsFragment | null | undefined>(k: K) {
  if (!k) return k;
  const { organization, technician, ...rest } = k;
  return { ...rest, organizationId: organization.id, technicianId: technician?.id ?? null };
}
export function normalizeTechnician(tech: TechnicianFieldsFragment) {
  const { serviceCenter, ...rest } = tech;
  return { ...rest, serviceCenterId: serviceCenter.id };
}

function authHeaders(auth: Auth): Record<string, string> {
  if (auth === null) return {};
  if (typeof auth === 'string') return { authorization: `Bearer ${auth}` };
  return { authorization: auth.header };
}

async function viaGraphql<TResult, TVariables>(
  t: TestApp,
  auth: Auth,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  pick: (data: TResult) => unknown,
): Promise<Outcome> {
  const res = await gql(t, null, document, variables, authHeaders(auth));
  const error = res.errors?.[0];
  if (error) {
    return {
      protocol: 'graphql',
      status: res.status,
      data: null,
      code: error.extensions?.code,
      field: error.extensions?.field,
      errorCode: error.extensions?.errorCode,
      correlationId: error.extensions?.correlationId,
      raw: res,
    };
  }
  return { protocol: 'graphql', status: res.status, data: pick(res.data), raw: res };
}

async function viaRest(t: TestApp, auth: Auth, method: 'get' | 'post', path: string, body?: unknown): Promise<Outcome> {
  let req = method === 'get' ? t.http.get(`/api/v1${path}`) : t.http.post(`/api/v1${path}`);
  for (const [name, value] of Object.entries(authHeaders(auth))) req = req.set(name, value);
  const res = await checkedAgainstContract(method, path, method === 'post' ? req.send((body ?? {}) as object) : req);
  const base = {
    protocol: 'rest' as const,
    status: res.status,
    contentType: String(res.headers['content-type'] ?? ''),
    requestId: res.headers['x-request-id'] as string | undefined,
    raw: res,
  };
  if (res.status >= 400) {
    return {
      ...base,
      data: null,
      code: res.body?.code,
      field: res.body?.field,
      errorCode: res.body?.errorCode,
      correlationId: res.body?.correlationId,
    };
  }
  return { ...base, data: res.body };
}

export function orgsApi(t: TestApp, protocol: Protocol) {
  const graphql = protocol === 'graphql';
  // the specs send wrong input on purpose through this API (refusals of bad names, kinds and
  // roles): the server judges it, so the input goes as the spec wrote it
  const input = (value: Record<string, unknown>) => value as any;
  return {
    protocol,
    me: (auth: Auth) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiMe'), {}, (d) => normalizeKey(d.me))
        : viaRest(t, auth, 'get', '/me'),

    createOrganization: (auth: Auth, body: Record<string, unknown>) =>
      graphql
        ? viaGraphql(
            t,
            auth,
            operation('OrgsApiCreateOrganization'),
            { input: input(body) },
            (d) => d.createOrganization,
          )
        : viaRest(t, auth, 'post', '/organizations', body),

    organization: (auth: Auth, id: string) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiOrganization'), { id }, (d) => d.organization)
        : viaRest(t, auth, 'get', `/organizations/${encodeURIComponent(id)}`),

    createApiKey: (auth: Auth, body: Record<string, unknown>) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiCreateApiKey'), { input: input(body) }, (d) => ({
            secret: d.createApiKey.secret,
            apiKey: normalizeKey(d.createApiKey.apiKey),
          }))
        : viaRest(t, auth, 'post', '/api-keys', body),

    revokeApiKey: (auth: Auth, id: string) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiRevokeApiKey'), { id }, (d) => normalizeKey(d.revokeApiKey))
        : viaRest(t, auth, 'post', `/api-keys/${id}:revoke`),

    technicians: (auth: Auth, serviceCenterId?: string) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiTechnicians'), serviceCenterId ? { id: serviceCenterId } : {}, (d) =>
            d.technicians.map(normalizeTechnician),
          )
        : viaRest(
            t,
            auth,
            'get',
            serviceCenterId ? `/technicians?serviceCenterId=${encodeURIComponent(serviceCenterId)}` : '/technicians',
          ),

    createTechnician: (auth: Auth, body: Record<string, unknown>) =>
      graphql
        ? viaGraphql(t, auth, operation('OrgsApiCreateTechnician'), { input: input(body) }, (d) =>
            normalizeTechnician(d.createTechnician),
          )
        : viaRest(t, auth, 'post', '/technicians', body),
  };
}

export type OrgsApi = ReturnType<typeof orgsApi>;

/**
 * Everything the organizations module stores, read straight from the database (secrets' hashes
 * left out): compare two snapshots to show that a refused call changed nothing, not even the outbox.
 */
export async function orgsSnapshot(t: TestApp) {
  const db = t.app.get(DataSource);
  const organizations = await db.query(
    `SELECT id, name, kind, labor_rate_amount, labor_rate_currency, turnaround_days FROM organizations ORDER BY id`,
  );
  const apiKeys = await db.query(
    `SELECT id, organization_id, technician_id, name, role, prefix, expires_at, revoked_at FROM api_keys ORDER BY id`,
  );
  const technicians = await db.query(`SELECT id, service_center_id, name, email, active FROM technicians ORDER BY id`);
  const [{ n: outboxEvents }] = await db.query(`SELECT count(*)::int AS n FROM outbox_events`);
  return { organizations, apiKeys, technicians, outboxEvents: Number(outboxEvents) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
