// A small REST client typed from the OpenAPI document (generated/rest.ts): it registers a unit
// and reads its coverage. `npm run clients:check` generates the types and type-checks this file.
import type { paths } from './generated/rest.js';

export type RegisterUnitBody = paths['/api/v1/units']['post']['requestBody']['content']['application/json'];
export type CoverageParams = NonNullable<paths['/api/v1/coverage']['get']['parameters']['query']>;

async function call(baseUrl: string, key: string, path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, baseUrl), {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${response.status} ${String(body.code)}: ${String(body.detail ?? body.title)}`);
  return body;
}

export async function registerUnit(baseUrl: string, key: string, unit: RegisterUnitBody, idempotencyKey: string) {
  return call(baseUrl, key, '/api/v1/units', { method: 'POST', body: JSON.stringify(unit), headers: { 'idempotency-key': idempotencyKey } });
}

export async function checkCoverage(baseUrl: string, key: string, params: CoverageParams) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return call(baseUrl, key, `/api/v1/coverage?${query}`);
}
