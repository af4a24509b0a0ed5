import { applyDecorators } from '@nestjs/common';
import { Field, ID, Int } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsId } from './params.js';

/**
 * Input fields that many inputs share, declared once for GraphQL, OpenAPI and validation alike
 * (the one input class per operation carries all three).
 */

/** The version the caller last read: the change applies only to the record still at that version. */
export const ExpectedVersionField = () =>
  applyDecorators(
    ApiProperty(),
    Field(() => Int),
    IsInt(),
    Min(1),
    Max(2_147_483_647),
  );

/** The id of a record the input names. */
export const IdField = () =>
  applyDecorators(
    ApiProperty({ format: 'uuid' }),
    Field(() => ID),
    IsId(),
  );
