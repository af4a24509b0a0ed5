// Generates typed clients from the API's own committed documents: `npm run clients:generate`.
// - generated/rest.ts from openapi.json (openapi-typescript): `paths` and `components` types;
// - generated/graphql.ts from schema.gql and operations.graphql (graphql-codegen): a result and a
//   variables type per operation, with the inputs and enums they use.
// The example clients beside this file use them, and CI type-checks the examples against them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { codegen } from '@graphql-codegen/core';
import * as operationsPlugin from '@graphql-codegen/typescript-operations';
import { buildSchema, parse } from 'graphql';
import openapiTS, { astToString } from 'openapi-typescript';

const here = new URL('.', import.meta.url);
const root = new URL('..', here);
const out = new URL('generated/', here);
await mkdir(out, { recursive: true });

const openapi = JSON.parse(await readFile(new URL('openapi.json', root), 'utf8'));
await writeFile(new URL('rest.ts', out), astToString(await openapiTS(openapi)));

const schema = buildSchema(await readFile(new URL('schema.gql', root), 'utf8'));
const operations = parse(await readFile(new URL('operations.graphql', here), 'utf8'));
const graphql = await codegen({
  filename: 'graphql.ts',
  schema: parse(await readFile(new URL('schema.gql', root), 'utf8')),
  schemaAst: schema,
  documents: [{ location: 'operations.graphql', document: operations }],
  // the operations plugin writes the inputs and enums the operations use, and a result and a
  // variables type per operation
  plugins: [{ typescriptOperations: {} }],
  pluginMap: { typescriptOperations: operationsPlugin },
  config: {
    // dates and amounts travel as strings ("2026-11-20", "2026-11-20T10:00:00.000Z", "149.00")
    scalars: { Date: 'string', DateTime: 'string', Decimal: 'string' },
    // the schema has an input called CoverageQuery; an operation called Coverage would get a
    // result type of the same name: result types end in "Result" instead ("CoverageQueryResult")
    operationResultSuffix: 'Result',
    enumsAsTypes: true,
    useTypeImports: true,
  },
});
await writeFile(new URL('graphql.ts', out), graphql);
process.stdout.write('clients/generated/rest.ts and clients/generated/graphql.ts written\n');
