import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiResponse, ApiSchema } from '@nestjs/swagger';
import type { Connection } from '../pagination/pagination.js';
import { ProblemDetails } from './problem.js';
import { ApiBool, ApiInt, ApiNested, ApiText } from './properties.js';

/**
 * Error answers an operation gives besides those every operation can give (401, 429, 500, 503; 400
 * with parameters; 400, 409, 413, 415 and 422 with a body or an Idempotency-Key), which
 * completeDocument (document.ts) adds from the operation's shape.
 */
type OperationProblem = 403 | 404 | 409 | 422;

/** The extension that carries an operation's own problem statuses to completeDocument, which removes it. */
export const PROBLEMS_EXTENSION = 'x-aftercare-problems';

export interface OperationSpec {
  /** The operationId: the GraphQL operation's name where there is one, so both APIs use the same words. */
  id: string;
  summary: string;
  description?: string;
  /** The view the operation answers with: a class of a *.views.ts file, a list of one, or a connection (connectionOf). */
  ok: Type<unknown> | [Type<unknown>];
  /** 201 for a POST that creates a record (Nest's default for POST), 200 otherwise. */
  status?: 200 | 201;
  problems?: OperationProblem[];
}

/** One REST operation's contract: its id, its answer's schema and the errors it can answer with. */
export function Operation(spec: OperationSpec) {
  const [type, isArray] = Array.isArray(spec.ok) ? [spec.ok[0], true] : [spec.ok, false];
  const status = spec.status ?? 200;
  return applyDecorators(
    ApiOperation({
      operationId: spec.id,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
    }),
    ApiResponse({ status, description: status === 201 ? 'Created' : 'OK', type, isArray }),
    ApiExtraModels(ProblemDetails),
    ApiExtension(PROBLEMS_EXTENSION, spec.problems ?? []),
  );
}

@ApiSchema({ name: 'PageInfo' })
class PageInfoView {
  @ApiBool(false) hasNextPage: boolean;
  @ApiText('djE6MDE5MzZmM2UtOGEyYi03YzRkLTllNWYtMGExYjJjM2Q0ZTUx', {
    nullable: true,
    description: 'Pass as `after` for the next page.',
  })
  endCursor: string | null;
}

const connections = new Map<Type<unknown>, Type<unknown>>();

/**
 * The schema of a page of a list (pagination.ts's Connection): `<name>Connection` with its
 * `<name>Edge`s, the same shape and names as the GraphQL connection types.
 */
export function connectionOf<T>(node: Type<T>, name: string): Type<Connection<T>> {
  const known = connections.get(node);
  if (known) return known as Type<Connection<T>>;

  @ApiSchema({ name: `${name}Edge` })
  class Edge {
    @ApiNested(() => node) node: T;
    @ApiText('djE6MDE5MzZmM2UtOGEyYi03YzRkLTllNWYtMGExYjJjM2Q0ZTUx') cursor: string;
  }

  @ApiSchema({ name: `${name}Connection`, description: `A page of ${name} records, in id order.` })
  class ConnectionView {
    @ApiNested(() => Edge, { isArray: true }) edges: Edge[];
    @ApiNested(() => PageInfoView) pageInfo: PageInfoView;
    @ApiInt(42, { description: 'How many records match, on every page.' }) totalCount: number;
  }

  connections.set(node, ConnectionView);
  return ConnectionView;
}
