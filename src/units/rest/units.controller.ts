import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { UnitImportService } from '../unit-import.service.js';
import { claimImportKey, importBody, readRowsClaimingKey, streamImportAnswer } from './unit-import.http.js';
import {
  ApiBearerAuth,
  ApiSchema,
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
  IntersectionType,
  OmitType,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { EXAMPLE_ID } from '../../common/openapi/properties.js';
import { actionPath, IsId, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { STREAMED_CONTENT_TYPES, StreamedBody } from '../../common/http/streaming-body.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { AttachServicePlanInput, RegisterUnitInput, TransferOwnershipInput, UnitFilter } from '../unit.inputs.js';
import { UnitsService } from '../units.service.js';
import { connectionOf, Operation, PROBLEMS_EXTENSION } from '../../common/openapi/operation.js';
import { IMPORT_LINE_MODELS, IMPORT_LINE_SCHEMA } from '../unit-import.views.js';
import { UnitEventView, UnitServicePlanView, UnitView } from '../unit.views.js';

/** Import bodies of two rows, as NDJSON and as CSV. */
const IMPORT_NDJSON_EXAMPLE = [
  {
    serialNumber: 'SN-0001',
    productId: EXAMPLE_ID,
    purchaseDate: '2026-03-01',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  },
  { serialNumber: 'SN-0002', productId: EXAMPLE_ID, purchaseDate: '2026-03-02', customer: { name: 'Grace Hopper' } },
]
  .map((row) => JSON.stringify(row))
  .join('\n');
const IMPORT_CSV_EXAMPLE = `serialNumber,productId,purchaseDate,customer.name,customer.email\nSN-0001,${EXAMPLE_ID},2026-03-01,Ada Lovelace,ada@example.com\nSN-0002,${EXAMPLE_ID},2026-03-02,Grace Hopper,\n`;

/** The page and the filter of GET /units: the GraphQL UnitFilter's fields and rules, in the query string. */
class UnitListQuery extends IntersectionType(PageQuery, UnitFilter) {}

class SerialQuery {
  @ApiPropertyOptional()
  @IsString()
  @Length(1, 100)
  serialNumber: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  manufacturerId?: string;
}

/** Bodies of the custom actions: the unit comes from the path. */
@ApiSchema({ name: 'TransferOwnershipBody' })
class TransferBodyDto extends OmitType(TransferOwnershipInput, ['unitId'] as const) {}
@ApiSchema({ name: 'AttachServicePlanBody' })
class AttachBodyDto extends OmitType(AttachServicePlanInput, ['unitId'] as const) {}

@ApiTags('units')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly importer: UnitImportService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('units')
  @Operation({
    id: 'listUnits',
    summary:
      'Units the caller may see, a page at a time; by owner (email, phone, name prefix) only those whose owner it may read',
    ok: connectionOf(UnitView, 'Unit'),
  })
  list(@Ctx() ctx: RequestContext, @Query() query: UnitListQuery) {
    const { first, after, ...filter } = query;
    return this.units.listUnits(ctx, first, after, filter);
  }

  @Post('units')
  @Operation({ id: 'registerUnit', summary: 'Register a sold unit', ok: UnitView, status: 201, problems: [403, 404] })
  async register(@Ctx() ctx: RequestContext, @Body() input: RegisterUnitInput) {
    return restResult(await this.units.registerUnit(ctx, input));
  }

  @Post('units::import')
  @ApiOperation({
    operationId: 'importUnits',
    summary: 'Register up to 100,000 units from NDJSON or CSV',
    description:
      'The body is NDJSON (application/x-ndjson, one RegisterUnitInput a line) or CSV (text/csv, a header row of the same field names, dotted for nested fields such as customer.name). ' +
      'The answer streams one NDJSON line a row (ImportRowCreated or ImportRowError), then an ImportSummaryLine, or an ImportAborted line when the import stopped on our side. ' +
      'A bad row never stops the good ones; with the same Idempotency-Key a retry creates nothing twice.',
  })
  @ApiConsumes(...STREAMED_CONTENT_TYPES)
  @ApiBody({
    schema: {
      type: 'string',
      description: 'The rows: NDJSON, one RegisterUnitInput object a line, or CSV with a header row.',
    },
    examples: {
      ndjson: { summary: 'Two rows as NDJSON', value: IMPORT_NDJSON_EXAMPLE },
      csv: { summary: 'Two rows as CSV', value: IMPORT_CSV_EXAMPLE },
    },
  })
  @ApiProduces('application/x-ndjson')
  @ApiExtraModels(...IMPORT_LINE_MODELS)
  @ApiResponse({
    status: 200,
    description: 'One JSON object a line (NDJSON), each of these schemas.',
    schema: IMPORT_LINE_SCHEMA,
  })
  @ApiExtension(PROBLEMS_EXTENSION, [403])
  @StreamedBody()
  async import(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { body, format } = importBody(req);
    this.importer.authorize(ctx.caller);
    const { rows, importKey } = await readRowsClaimingKey(body, format, (first) =>
      claimImportKey(this.idempotency, ctx.caller, req.headers['idempotency-key'], first),
    );
    await streamImportAnswer(req, reply, this.importer.importRows(ctx.caller, rows, importKey));
  }

  @Get('units::by-serial')
  @Operation({
    id: 'getUnitBySerial',
    summary: 'A unit by serial number (manufacturerId when serials clash across manufacturers)',
    ok: UnitView,
    problems: [404],
  })
  bySerial(@Ctx() ctx: RequestContext, @Query() query: SerialQuery) {
    return this.units.getUnitBySerial(ctx, query.serialNumber, query.manufacturerId);
  }

  @Get('units/:id')
  @Operation({ id: 'getUnit', summary: 'One unit', ok: UnitView, problems: [404] })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.units.getUnit(ctx, id);
  }

  @Get('units/:id/history')
  @Operation({
    id: 'listUnitHistory',
    summary: "The unit's history, oldest first",
    ok: connectionOf(UnitEventView, 'UnitEvent'),
    problems: [404],
  })
  history(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Query() page: PageQuery) {
    return this.units.history(ctx, id, page.first, page.after);
  }

  @Get('units/:id/service-plans')
  @Operation({
    id: 'listUnitServicePlans',
    summary: 'Service plans attached to the unit',
    ok: [UnitServicePlanView],
    problems: [404],
  })
  async servicePlans(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    await this.units.getUnit(ctx, id);
    const [plans] = await this.units.servicePlansOf([id]);
    return plans;
  }

  @Post(actionPath('units', 'transfer'))
  @HttpCode(200)
  @Operation({
    id: 'transferOwnership',
    summary: 'Transfer ownership to a new owner (transferable warranties only)',
    ok: UnitView,
    problems: [403, 404],
  })
  async transfer(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: TransferBodyDto) {
    return restResult(await this.units.transferOwnership(ctx, { ...body, unitId: id }));
  }

  @Post(actionPath('units', 'attachServicePlan'))
  @HttpCode(200)
  @Operation({
    id: 'attachServicePlan',
    summary: 'Attach a service plan bought for the unit',
    ok: UnitView,
    problems: [403, 404],
  })
  async attachServicePlan(
    @Ctx() ctx: RequestContext,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: AttachBodyDto,
  ) {
    return restResult(await this.units.attachServicePlan(ctx, { ...body, unitId: id }));
  }
}
