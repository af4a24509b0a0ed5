import { ParseUUIDPipe } from '@nestjs/common';
import { badInput } from '../errors/domain-error.js';

/** A path or query id that must be a UUID; anything else is a 400 naming the parameter. */
export const uuidParam = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => badInput(field, `${field} must be a UUID.`) });

/**
 * Path of a custom action on a resource, e.g. actionPath('units', 'transfer') for
 * POST /units/{id}:transfer. Fastify's router needs the id to stop at the colon to tell actions
 * apart; anything else reaches the route, so a malformed id is a 400 naming it (uuidParam), not a
 * 404 for a route that does not exist.
 */
export const actionPath = (collection: string, action: string) => `${collection}/:id(^[^/:]+)::${action}`;

/** The same check for GraphQL id arguments: a malformed id is BAD_USER_INPUT naming the argument. */
export const uuidArg = (field: string) => uuidParam(field);

/** An optional UUID in a query string or GraphQL argument, named in the error when malformed. */
export const optionalUuid = (field: string) =>
  new ParseUUIDPipe({ optional: true, exceptionFactory: () => badInput(field, `${field} must be a UUID.`) });
