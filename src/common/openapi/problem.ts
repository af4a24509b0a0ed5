import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { HTTP_STATUS_BY_CATEGORY } from '../errors/domain-error.js';

/** The error categories (GraphQL's extensions.code), as REST's `code`. */
const PROBLEM_CODES = Object.keys(HTTP_STATUS_BY_CATEGORY);

/**
 * An error answer: RFC 9457 problem details as problemDetails() (error-mapping.ts) builds them,
 * with the same code, errorCode and field as the GraphQL error or union member. Business
 * refusals add their details (currentVersion; fromState, toState, allowedStates), hence
 * additionalProperties.
 */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' })
export class ProblemDetails {
  @ApiProperty({ type: String, format: 'uri', example: 'https://aftercare.dev/problems/bad-user-input' }) type: string;
  @ApiProperty({ example: 'Bad user input' }) title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status: number;
  @ApiProperty({ example: 'serialNumber must be 1 to 100 characters.' }) detail: string;
  @ApiProperty({ enum: PROBLEM_CODES, enumName: 'ProblemCode', example: 'BAD_USER_INPUT' }) code: string;
  @ApiPropertyOptional({
    example: 'VALIDATION_ERROR',
    description:
      'The finer business code: an ErrorCode of the GraphQL error results, or a code such as IDEMPOTENT_REQUEST_IN_PROGRESS.',
  })
  errorCode?: string;
  @ApiPropertyOptional({
    example: 'serialNumber',
    description: 'The input the error is about, as a dotted path (a query parameter, a header or a body field).',
  })
  field?: string;
  @ApiPropertyOptional({ example: '/api/v1/units' }) instance?: string;
  @ApiProperty({
    example: '5b0d7c1e-3f4a-4e1b-9c0d-2a6f8e9b1c3d',
    description: 'The request id (also in x-request-id); quote it to support.',
  })
  correlationId: string;
  @ApiPropertyOptional({ type: 'integer', description: 'VERSION_CONFLICT: the version the record has now.' })
  currentVersion?: number;
  @ApiPropertyOptional({ description: 'INVALID_STATE_TRANSITION: the state the record is in.' }) fromState?: string;
  @ApiPropertyOptional({ description: 'INVALID_STATE_TRANSITION: the state asked for.' }) toState?: string;
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    description: 'INVALID_STATE_TRANSITION: the states it may move to.',
  })
  allowedStates?: string[];
}
