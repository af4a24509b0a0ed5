// A small REST client typed from the OpenAPI document (generated/rest.ts): it registers a unit
// and reads its coverage. Requests and answers are the document's own types, named by the
// operation ids (registerUnit, getCoverage); `npm run typecheck` generates them and checks this file.
import type { components, operations } from './generated/rest.js';

export type RegisterUnitBody = operations['registerUnit']['requestBody']['content']['application/json'];
export type CoverageParams = NonNullable<operations['getCoverage']['parameters']['query']>;
export type Unit = operations['registerUnit']['responses'][201]['content']['application/json'];
export type CoverageCheck = operations['getCoverage']['responses'][200]['content']['application/json'];
/** Every error answer (application/problem+json). */
export type Problem = components['schemas']['Problem'];

/** An error answer, with the problem details the server sent. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}${problem.field ? ` (${problem.field})` : ''}: ${problem.detail}`);
  }
}

async function call<T>(baseUrl: string, key: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new ApiError(body as Problem);
  return body as T;
}

export async function registerUnit(
  baseUrl: string,
  key: string,
  unit: RegisterUnitBody,
  idempotencyKey: string,
): Promise<Unit> {
  return call<Unit>(baseUrl, key, '/api/v1/units', {
    method: 'POST',
    body: JSON.stringify(unit),
    headers: { 'idempotency-key': idempotencyKey },
  });
}

export async function checkCoverage(baseUrl: string, key: string, params: CoverageParams): Promise<CoverageCheck> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return call<CoverageCheck>(baseUrl, key, `/api/v1/coverage?${query}`);
}
