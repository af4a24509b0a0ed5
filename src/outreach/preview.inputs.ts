import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsId } from '../common/http/params.js';

/** The query of GET /outreach-journeys/{id}/preview (previewOutreach's unitId and locale). */
export class PreviewQuery {
  @ApiProperty({ format: 'uuid', description: 'The unit whose owner the message would go to.' })
  @IsId()
  unitId: string;

  @ApiPropertyOptional({ example: 'sv', description: "BCP 47; absent: the owner's language." })
  @IsOptional()
  @IsString()
  @Length(1, 35)
  locale?: string;
}
