import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ApiId, ApiInt, ApiText } from '../common/openapi/properties.js';

/**
 * The lines of the streamed answer of POST /units:import (NDJSON, one JSON object a line): a
 * line a row as it is decided, then the summary, or an `aborted` line when the import stopped on
 * our side. unit-import.service.ts gives the rows' results, rest/unit-import.http.ts writes the lines.
 */
@ApiSchema({ name: 'ImportRowCreated' })
class ImportRowCreatedView {
  @ApiInt(1, { description: 'The row number in the body (1 for the first row of data).' }) row: number;
  @ApiProperty({ enum: ['created'] }) status: 'created';
  @ApiId() id: string;
  @ApiText('SN-0001') serialNumber: string;
}

@ApiSchema({ name: 'ImportRowError' })
class ImportRowErrorView {
  @ApiInt(2) row: number;
  @ApiProperty({ enum: ['error'] }) status: 'error';
  @ApiText('DUPLICATE_SERIAL_NUMBER') errorCode: string;
  @ApiPropertyOptional({ example: 'serialNumber' }) field?: string;
  @ApiText('Serial number "SN-0001" appears earlier in this import.') message: string;
}

@ApiSchema({ name: 'ImportSummary' })
class ImportSummaryView {
  @ApiInt(2) rows: number;
  @ApiInt(1) created: number;
  @ApiInt(1) failed: number;
}

@ApiSchema({ name: 'ImportSummaryLine', description: 'The last line of an import that ran to its end.' })
class ImportSummaryLineView {
  @ApiProperty({ type: () => ImportSummaryView }) summary: ImportSummaryView;
}

@ApiSchema({
  name: 'ImportAborted',
  description: 'The last line of an import that stopped on our side: only the rows reported as created were written.',
})
class ImportAbortedView {
  @ApiProperty({ enum: ['aborted'] }) status: 'aborted';
  @ApiText('The import stopped on our side; retry with the same Idempotency-Key.') message: string;
  @ApiText('5b0d7c1e-3f4a-4e1b-9c0d-2a6f8e9b1c3d') correlationId: string;
}

export const IMPORT_LINE_MODELS = [ImportRowCreatedView, ImportRowErrorView, ImportSummaryLineView, ImportAbortedView];

/** The schema of one line of the answer. */
export const IMPORT_LINE_SCHEMA = { oneOf: IMPORT_LINE_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) };
