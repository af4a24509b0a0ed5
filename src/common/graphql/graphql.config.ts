import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { AppConfig } from '../../config/config.js';
import type { AuthService } from '../auth/auth.service.js';
import { queryLimitsPlugin } from './query-limits.js';
import { subscriptionOptions } from './subscriptions.js';

/** The GraphQL endpoint's landing page points at the bundled IDE (served locally, no CDN). */
const landingPagePlugin: ApolloServerPlugin = {
  async serverWillStart() {
    return {
      async renderLandingPage() {
        return {
          html: `<!doctype html><html><head><meta charset="utf-8"><title>Aftercare GraphQL</title>
<meta http-equiv="refresh" content="0; url=/ide/"></head>
<body><p>Aftercare GraphQL endpoint. The IDE is at <a href="/ide/">/ide/</a>; REST docs at <a href="/api/v1/docs">/api/v1/docs</a>.</p></body></html>`,
        };
      },
    };
  },
};

/**
 * An answer with no data because the database is down gets Retry-After, and a 503 as over REST.
 * Apollo does not keep a status set this late, so the HTTP layer turns the header into the status
 * (see common/http/hooks.ts).
 */
const outageStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data == null && errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
          response.http.headers.set('retry-after', '5');
        }
      },
    };
  },
};

export function graphqlOptions(config: AppConfig, schemaRef: { schema?: GraphQLSchema }, auth: AuthService): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    context: ({ req, reply }: { req: FastifyRequest; reply: FastifyReply }) => ({ req, reply }),
    subscriptions: subscriptionOptions(auth, config.graphql),
    playground: false,
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: !config.isProduction,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    transformSchema: (schema: GraphQLSchema) => {
      schemaRef.schema = schema;
      return schema;
    },
    plugins: [landingPagePlugin, outageStatusPlugin, queryLimitsPlugin(config.graphql, () => schemaRef.schema!)],
    formatError: (formatted: GraphQLFormattedError, error: unknown) => {
      const code = formatted.extensions?.code;
      // production never names schema elements the caller did not: drop graphql-js suggestions
      if (config.isProduction && / Did you mean /.test(formatted.message)) {
        formatted = { ...formatted, message: formatted.message.replace(/ Did you mean .*$/, '') };
      }
      // unknown failures never leak their message or stack in production
      if ((code === 'INTERNAL_SERVER_ERROR' || code === undefined) && config.isProduction) {
        const original = (error as GraphQLError)?.originalError;
        if (!(original instanceof GraphQLError)) {
          return { message: 'Something went wrong on our side.', extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: formatted.extensions?.correlationId } };
        }
      }
      return formatted;
    },
  } as Omit<ApolloDriverConfig, 'driver'>;
}
