import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../pagination/pagination.js';

/** first/after in a REST query string, as in the GraphQL connections. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  first?: number;

  @ApiPropertyOptional({ description: 'endCursor of the previous page' })
  @IsOptional() @IsString()
  after?: string;
}
