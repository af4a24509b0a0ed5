import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, IsId, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { REPAIR_STATUSES, type RepairStatus } from '../repair-transitions.js';
import { ApproveRepairEstimateInput, AssignTechnicianInput, OpenRepairTicketInput, UpdateRepairTicketInput } from '../repair.inputs.js';
import { RepairsService } from '../repairs.service.js';

class RepairTicketListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REPAIR_STATUSES }) @IsOptional() @IsIn(REPAIR_STATUSES)
  status?: RepairStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId()
  technicianId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId()
  unitId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only tickets past their due time and not yet ready; false: only the others.' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  overdue?: boolean;
}

/** Bodies of the ticket's actions: the ticket comes from the path. */
class AssignBody extends OmitType(AssignTechnicianInput, ['ticketId'] as const) {}
class UpdateBody extends OmitType(UpdateRepairTicketInput, ['ticketId'] as const) {}
class ApproveBody extends OmitType(ApproveRepairEstimateInput, ['ticketId'] as const) {}

@ApiTags('repairs')
@ApiBearerAuth()
@Controller()
export class RepairTicketsController {
  constructor(private readonly repairs: RepairsService) {}

  @Get('repair-tickets')
  @ApiOperation({ summary: 'Tickets at the caller\'s center, opened by it, or on its units (manufacturers), a page at a time' })
  list(@Ctx() ctx: RequestContext, @Query() query: RepairTicketListQuery) {
    const { first, after, ...filter } = query;
    return this.repairs.list(ctx, first, after, filter as never);
  }

  @Post('repair-tickets')
  @ApiOperation({ summary: 'Take a unit in for repair at a service center (by unitId, or by serialNumber with manufacturerId)' })
  async open(@Ctx() ctx: RequestContext, @Body() input: OpenRepairTicketInput) {
    return restResult(await this.repairs.open(ctx, input));
  }

  @Get('repair-tickets/:id')
  @ApiOperation({ summary: 'One ticket with its parts, estimate, coverage at intake and history' })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.repairs.get(ctx, id);
  }

  @Patch('repair-tickets/:id')
  @ApiOperation({ summary: 'Work the ticket: move its status, record a diagnosis, add parts and labor, leave a note' })
  async update(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: UpdateBody) {
    return restResult(await this.repairs.update(ctx, { ...body, ticketId: id }));
  }

  @Post(actionPath('repair-tickets', 'assignTechnician'))
  @HttpCode(200)
  @ApiOperation({ summary: 'The service center assigns one of its technicians' })
  async assign(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AssignBody) {
    return restResult(await this.repairs.assignTechnician(ctx, { ...body, ticketId: id }));
  }

  @Post(actionPath('repair-tickets', 'approveEstimate'))
  @HttpCode(200)
  @ApiOperation({ summary: 'The customer\'s approval of the estimate, by the organization that opened the ticket or the service center' })
  async approve(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ApproveBody) {
    return restResult(await this.repairs.approveEstimate(ctx, { ...body, ticketId: id }));
  }
}
