// A small GraphQL client typed from the schema and operations.graphql (generated/graphql.ts): it
// registers a unit and reads its coverage. `npm run clients:check` generates the types and
// type-checks this file.
import { readFileSync } from 'node:fs';
import type {
  CoverageQueryResult,
  CoverageQueryVariables,
  RegisterUnitMutationResult,
  RegisterUnitMutationVariables,
} from './generated/graphql.js';

const operations = readFileSync(new URL('operations.graphql', import.meta.url), 'utf8');

async function execute<Result, Variables>(
  baseUrl: string,
  key: string,
  operationName: string,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(new URL('/graphql', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: operations, operationName, variables }),
  });
  const body = (await response.json()) as {
    data?: Result;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code}: ${body.errors[0].message}`);
  return body.data as Result;
}

export async function registerUnit(baseUrl: string, key: string, input: RegisterUnitMutationVariables['input']) {
  const { registerUnit: result } = await execute<RegisterUnitMutationResult, RegisterUnitMutationVariables>(
    baseUrl,
    key,
    'RegisterUnit',
    { input },
  );
  if (result.__typename !== 'Unit') throw new Error(`${result.errorCode}: ${result.message}`);
  return result; // typed: id, serialNumber, status, purchaseDate, product.name
}

export async function checkCoverage(baseUrl: string, key: string, query: CoverageQueryVariables['query']) {
  const { warrantyCoverage } = await execute<CoverageQueryResult, CoverageQueryVariables>(baseUrl, key, 'Coverage', {
    query,
  });
  return warrantyCoverage; // typed: covered, coveredUntil, reasons, coverages
}
