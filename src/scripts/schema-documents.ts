import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { createApp, openApiDocument } from '../app.setup.js';
import type { AppConfig } from '../config/config.js';

/** The GraphQL schema and the OpenAPI document exactly as the running code serves them. */
export async function generatedDocuments(config: AppConfig): Promise<{ schema: string; openapi: string }> {
  const app = await createApp(config);
  try {
    const schema = printSchema(app.get(GraphQLSchemaHost).schema) + '\n';
    const openapi = JSON.stringify(openApiDocument(app), null, 2) + '\n';
    return { schema, openapi };
  } finally {
    await app.close();
  }
}
