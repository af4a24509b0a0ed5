import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { AttachServicePlanInput, RegisterUnitInput, TransferOwnershipInput } from '../unit.inputs.js';
import { UnitsService } from '../units.service.js';

class UnitListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['ACTIVE', 'RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'] })
  @IsOptional() @IsIn(['ACTIVE', 'RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'])
  status?: 'ACTIVE' | 'RETURNED' | 'REPLACED' | 'TRADED_IN' | 'SCRAPPED';

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  productId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  serialNumber?: string;
}

class SerialQuery {
  @ApiPropertyOptional() @IsString() @Length(1, 100)
  serialNumber: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  manufacturerId?: string;
}

/** Bodies of the custom actions: the unit comes from the path. */
class TransferBodyDto extends OmitType(TransferOwnershipInput, ['unitId'] as const) {}
class AttachBodyDto extends OmitType(AttachServicePlanInput, ['unitId'] as const) {}

@ApiTags('units')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get('units')
  @ApiOperation({ summary: 'Units the caller may see, a page at a time' })
  list(@Ctx() ctx: RequestContext, @Query() query: UnitListQuery) {
    const { first, after, ...filter } = query;
    return this.units.listUnits(ctx, first, after, filter as never);
  }

  @Post('units')
  @ApiOperation({ summary: 'Register a sold unit' })
  async register(@Ctx() ctx: RequestContext, @Body() input: RegisterUnitInput) {
    return restResult(await this.units.registerUnit(ctx, input));
  }

  @Get('units::by-serial')
  @ApiOperation({ summary: 'A unit by serial number (manufacturerId when serials clash across manufacturers)' })
  bySerial(@Ctx() ctx: RequestContext, @Query() query: SerialQuery) {
    return this.units.getUnitBySerial(ctx, query.serialNumber, query.manufacturerId);
  }

  @Get('units/:id')
  @ApiOperation({ summary: 'One unit' })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.units.getUnit(ctx, id);
  }

  @Get('units/:id/history')
  @ApiOperation({ summary: "The unit's history, oldest first" })
  history(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Query() page: PageQuery) {
    return this.units.history(ctx, id, page.first, page.after);
  }

  @Get('units/:id/service-plans')
  @ApiOperation({ summary: 'Service plans attached to the unit' })
  async servicePlans(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    await this.units.getUnit(ctx, id);
    const [plans] = await this.units.servicePlansOf([id]);
    return plans;
  }

  @Post(actionPath('units', 'transfer'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer ownership to a new owner (transferable warranties only)' })
  async transfer(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: TransferBodyDto) {
    return restResult(await this.units.transferOwnership(ctx, { ...body, unitId: id }));
  }

  @Post(actionPath('units', 'attachServicePlan'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Attach a service plan bought for the unit' })
  async attachServicePlan(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AttachBodyDto) {
    return restResult(await this.units.attachServicePlan(ctx, { ...body, unitId: id }));
  }
}
