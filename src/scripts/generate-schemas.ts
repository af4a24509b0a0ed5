/**
 * Writes the generated GraphQL schema (schema.gql) and the OpenAPI document (openapi.json) to
 * the repository root. Both are committed; a test fails when the code and these files disagree.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config/config.js';
import { generatedDocuments } from './schema-documents.js';

const config = loadConfig({
  ...process.env,
  DATA_DIR: 'memory://schemas',
  LOG_LEVEL: 'silent',
  DATABASE_URL: '',
  AFTERCARE_ADMIN_KEY: 'schema-generation-placeholder-key-000',
});
const { schema, openapi } = await generatedDocuments(config);
await writeFile('schema.gql', schema);
await writeFile('openapi.json', openapi);
process.stdout.write('wrote schema.gql and openapi.json\n');
process.exit(0);
