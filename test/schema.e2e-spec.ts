import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { loadConfig } from '../src/config/config.js';
import { generatedDocuments } from '../src/scripts/schema-documents.js';

/** The public contract lives in ../shared/api/contract.graphql: the schema may grow beyond it, never shrink or rename. */
describe('the GraphQL schema and the OpenAPI document', () => {
  let generated: { schema: string; openapi: string };

  beforeAll(async () => {
    generated = await generatedDocuments(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://schema-test', AFTERCARE_ADMIN_KEY: 'schema-test-placeholder-key-0000000' }));
  });

  it('the committed schema.gql is what the code generates (run npm run schema:generate)', async () => {
    expect(await readFile('schema.gql', 'utf8')).toBe(generated.schema);
  });

  it('the committed openapi.json is what the code generates (run npm run schema:generate)', async () => {
    expect(JSON.parse(await readFile('openapi.json', 'utf8'))).toEqual(JSON.parse(generated.openapi));
  });

  it('contains the whole public contract with no breaking change', async () => {
    const contract = buildSchema(await readFile(path.resolve('..', 'shared', 'api', 'contract.graphql'), 'utf8'));
    const changes = await diff(contract, buildSchema(generated.schema));
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
    expect(breaking.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
  });
});
