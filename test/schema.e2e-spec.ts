import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { loadConfig } from '../src/config/config.js';
import { generatedDocuments } from '../src/scripts/schema-documents.js';

/**
 * The public contract is kept beside this repository, in ../shared/api: the schema may grow beyond
 * it, never shrink or rename. A clone without it still runs every other check here and says that
 * the contract comparison was skipped.
 */
const CONTRACT_DIR = path.resolve('..', 'shared', 'api');
/** The contract documents the code implements so far, read together as one document. */
const CONTRACT_DOCUMENTS = ['contract.graphql', 'directory.graphql', 'webhooks.graphql', 'outreach.graphql'];
const contractPresent = CONTRACT_DOCUMENTS.every((name) => existsSync(path.join(CONTRACT_DIR, name)));
if (!contractPresent) {
  process.stdout.write(
    `schema.e2e-spec: skipped the contract comparison: ${CONTRACT_DIR} is not here (a clone without ../shared)\n`,
  );
}
const contractIt = contractPresent ? it : it.skip;

describe('the GraphQL schema and the OpenAPI document', () => {
  let generated: { schema: string; openapi: string };

  beforeAll(async () => {
    generated = await generatedDocuments(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: 'memory://schema-test',
        AFTERCARE_ADMIN_KEY: 'schema-test-placeholder-key-0000000',
      }),
    );
  });

  it('the committed schema.gql is what the code generates (run npm run schema:generate)', async () => {
    expect(await readFile('schema.gql', 'utf8')).toBe(generated.schema);
  });

  it('the committed openapi.json is what the code generates (run npm run schema:generate)', async () => {
    expect(JSON.parse(await readFile('openapi.json', 'utf8'))).toEqual(JSON.parse(generated.openapi));
  });

  contractIt('contains the whole public contract with no breaking change', async () => {
    const documents = await Promise.all(
      CONTRACT_DOCUMENTS.map((name) => readFile(path.join(CONTRACT_DIR, name), 'utf8')),
    );
    const contract = buildSchema(documents.join('\n'));
    const changes = await diff(contract, buildSchema(generated.schema));
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
    expect(breaking.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
  });
});
