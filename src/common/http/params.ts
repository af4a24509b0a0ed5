import { applyDecorators, ParseUUIDPipe, type ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID, type ValidationOptions } from 'class-validator';
import { badInput } from '../errors/domain-error.js';

/** UUIDs are case-insensitive; ids are compared as the database writes them, in lower case. */
const lowerCase = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/** An id field of an input: a UUID, taken in lower case whatever case the client sent. */
export const IsId = (options?: ValidationOptions) =>
  applyDecorators(
    Transform(({ value }) => (Array.isArray(value) ? value.map(lowerCase) : lowerCase(value))),
    IsUUID(undefined, options),
  );

class LowerCaseUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return lowerCase(await super.transform(value, metadata)) as string;
  }
}

/** A path or query id that must be a UUID (taken in lower case); anything else is a 400 naming the parameter. */
export const uuidParam = (field: string) =>
  new LowerCaseUuidPipe({ exceptionFactory: () => badInput(field, `${field} must be a UUID.`) });

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
  new LowerCaseUuidPipe({ optional: true, exceptionFactory: () => badInput(field, `${field} must be a UUID.`) });
