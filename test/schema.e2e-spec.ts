import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { loadConfig } from '../src/config/config.js';
import { generatedDocuments } from '../src/scripts/schema-documents.js';

/**
 * The public contract lives in ../shared/api/contract.graphql. Until every module is built, the
 * parts that later issues add are left out here; each issue removes its names from these lists.
 */
const NOT_YET_BUILT_TYPES = new Set([
  // upgrades (issue 6)
  'TradeInValue', 'UpgradeProgram', 'TradeInValueInput', 'CreateUpgradeProgramInput', 'IneligibleReason', 'UpgradeOffer', 'UpgradeEligibility',
  'UpgradeStatus', 'UpgradeRequest', 'RequestUpgradeInput', 'RequestUpgradeResult', 'CompleteUpgradeInput', 'CompleteUpgradeResult',
]);

const NOT_YET_BUILT_OPERATIONS = new Set([
  'Query.upgradePrograms',
  'Query.upgradeEligibility', 'Query.upgradeRequest',
  'Mutation.createUpgradeProgram', 'Mutation.requestUpgrade', 'Mutation.completeUpgrade', 'Mutation.cancelUpgrade',
]);

function notYetBuilt(change: { type: string; path?: string }): boolean {
  // the subscription root arrives with the repairs module
  if (change.type === 'SCHEMA_SUBSCRIPTION_TYPE_CHANGED') return NOT_YET_BUILT_TYPES.has('Subscription');
  if (!change.path) return false;
  const [type, field] = change.path.split('.');
  return NOT_YET_BUILT_TYPES.has(type) || NOT_YET_BUILT_OPERATIONS.has(`${type}.${field}`);
}

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

  it('contains the public contract with no breaking change, for the modules built so far', async () => {
    const contract = buildSchema(await readFile(path.resolve('..', 'shared', 'api', 'contract.graphql'), 'utf8'));
    const changes = await diff(contract, buildSchema(generated.schema));
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking && !notYetBuilt(c));
    expect(breaking.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
  });

  it('leaves out only operations that exist in the contract (the lists above are not stale)', async () => {
    const contract = buildSchema(await readFile(path.resolve('..', 'shared', 'api', 'contract.graphql'), 'utf8'));
    for (const name of NOT_YET_BUILT_TYPES) expect(contract.getType(name)).toBeDefined();
  });
});
