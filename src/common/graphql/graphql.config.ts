import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { AppConfig } from '../../config/config.js';
import { readRoutingPlugin } from '../../database/read-routing.js';
import type { AuthService } from '../auth/auth.service.js';
import { queryLimitsPlugin } from './query-limits.js';
import { strictDateTimeInput } from './scalars.js';
import { subscriptionOptions } from './subscriptions.js';

/**
 * The field of a refused variable, from graphql-js's message (`Variable "$input" got invalid value
 * … at "input.lines[0].quantity"; …`): "lines.0.quantity", relative to the input object as the
 * validation errors name fields, or the variable's name when the whole value was refused.
 */
export function variableErrorField(message: string): string | null {
  const match =
    /^Variable "\$([^"]+)" got invalid value [\s\S]* at "([^"]+)"; /.exec(message) ??
    /^Variable "\$([^"]+)" got invalid value /.exec(message);
  if (!match) return null;
  const [, variable, path] = match;
  if (!path) return variable;
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  return dotted.startsWith(`${variable}.`) ? dotted.slice(variable.length + 1) : dotted;
}

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
 * No answer may be kept by a cache on the way (they carry owners' data): `Cache-Control: no-store`,
 * as Apollo's cache-control plugin said for a schema without cache hints. That plugin is off: it
 * wrapped every field's resolver to collect hints this schema never gives.
 *
 * An answer with no data because the database is down gets Retry-After, and a 503 as over REST.
 * Apollo does not keep a status set this late, so the HTTP layer turns the header into the status
 * (see common/http/hooks.ts).
 */
const responseHeadersPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data == null && errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) {
          response.http.headers.set('retry-after', '5');
        }
      },
    };
  },
};

/** An expected refusal (NOT_FOUND, BAD_USER_INPUT, …) is the caller's answer, not a bug to trace: no stack. */
function dropRefusalStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' || formatted.extensions?.stacktrace === undefined) {
    return formatted;
  }
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

/** A variable the schema refused (a scalar like DateTime, a wrong type) names its field, as validation errors do. */
function nameRefusedVariable(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const field =
    formatted.extensions?.code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined
      ? variableErrorField(formatted.message)
      : null;
  return field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
}

/** Production never names schema elements the caller did not: drop graphql-js suggestions. */
function dropSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return / Did you mean /.test(formatted.message)
    ? { ...formatted, message: formatted.message.replace(/ Did you mean .*$/, '') }
    : formatted;
}

/** In production an unknown failure never leaks its message or stack. */
function hideUnknownFailure(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code !== 'INTERNAL_SERVER_ERROR' && code !== undefined) return formatted;
  if ((error as GraphQLError)?.originalError instanceof GraphQLError) return formatted;
  return {
    message: 'Something went wrong on our side.',
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: formatted.extensions?.correlationId },
  };
}

function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  isProduction: boolean,
): GraphQLFormattedError {
  const answer = nameRefusedVariable(dropRefusalStack(formatted));
  return isProduction ? hideUnknownFailure(dropSuggestions(answer), error) : answer;
}

export function graphqlOptions(
  config: AppConfig,
  schemaRef: { schema?: GraphQLSchema },
  auth: AuthService,
): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    context: ({ req, reply }: { req: FastifyRequest; reply: FastifyReply }) => ({ req, reply }),
    subscriptions: subscriptionOptions(auth, config.graphql),
    playground: false,
    introspection: !config.isProduction,
    // a stack trace helps whoever develops a fix, and only for a failure on our side (see dropRefusalStack)
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    hideSchemaDetailsFromClientErrors: config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    transformSchema: (schema: GraphQLSchema) => {
      schemaRef.schema = strictDateTimeInput(schema);
      return schema;
    },
    plugins: [
      landingPagePlugin,
      responseHeadersPlugin,
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      queryLimitsPlugin(config.graphql, () => schemaRef.schema!),
      readRoutingPlugin,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown) =>
      formatGraphQLError(formatted, error, config.isProduction),
  } as Omit<ApolloDriverConfig, 'driver'>;
}
