import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error.js';
import { toDomainError } from './error-mapping.js';

const queryFailed = (code: string) =>
  new QueryFailedError('SELECT $1', ['value'], Object.assign(new Error('failed'), { code }));

const mapped = (error: unknown) => {
  const { category, httpStatus, message, details } = toDomainError(error);
  return { category, httpStatus, message, field: details.field };
};

describe('toDomainError', () => {
  it('keeps a DomainError as it is', () => {
    const error = new DomainError('CONFLICT', 'taken');
    expect(toDomainError(error)).toBe(error);
  });

  it.each(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'])(
    "makes GraphQL's %s the caller's input",
    (code) => {
      expect(mapped(new GraphQLError('bad query', { extensions: { code } }))).toEqual({
        category: 'BAD_USER_INPUT',
        httpStatus: 400,
        message: 'bad query',
        field: undefined,
      });
    },
  );

  it('makes another GraphQL error a failure on our side', () => {
    expect(mapped(new GraphQLError('boom', { extensions: { code: 'SOMETHING_ELSE' } })).category).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a server shutting down', queryFailed('57P01')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('makes %s a 503', (_, error) => {
    expect(mapped(error)).toMatchObject({ category: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
  });

  it.each(['22P02', '22007', '22008', '22003'])('makes a value PostgreSQL cannot read (%s) bad input', (code) => {
    expect(mapped(queryFailed(code))).toEqual({
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      message: 'A value in the request is not valid for its field.',
      field: undefined,
    });
  });

  it('makes a statement stopped by the timeout a 503', () => {
    expect(mapped(queryFailed('57014'))).toEqual({
      category: 'SERVICE_UNAVAILABLE',
      httpStatus: 503,
      message: 'The request took too long and was stopped; try again shortly.',
      field: undefined,
    });
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [429, 'RATE_LIMITED'],
    [418, 'BAD_USER_INPUT'],
    [502, 'INTERNAL_SERVER_ERROR'],
  ])('gives an HttpException with status %i the category %s and keeps its status', (status, category) => {
    expect(mapped(new HttpException('refused', status))).toMatchObject({ category, httpStatus: status });
  });

  it("makes Fastify's 413, 415 and other 4xx refusals name what was wrong", () => {
    const fastifyError = (statusCode: number) => Object.assign(new Error('Unexpected token'), { statusCode });
    expect(mapped(fastifyError(413))).toEqual({
      category: 'PAYLOAD_TOO_LARGE',
      httpStatus: 413,
      message: 'The request body is too large.',
      field: 'body',
    });
    expect(mapped(fastifyError(415))).toMatchObject({
      category: 'BAD_USER_INPUT',
      httpStatus: 415,
      field: 'Content-Type',
    });
    expect(mapped(fastifyError(400))).toEqual({
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      message: 'Unexpected token',
      field: 'body',
    });
  });

  it('makes anything else a 500 that says nothing of the failure', () => {
    expect(mapped(new TypeError('x is undefined'))).toEqual({
      category: 'INTERNAL_SERVER_ERROR',
      httpStatus: 500,
      message: 'Something went wrong on our side. The correlation id helps us find it.',
      field: undefined,
    });
    expect(mapped(Object.assign(new Error('upstream'), { statusCode: 503 })).category).toBe('INTERNAL_SERVER_ERROR');
  });
});
