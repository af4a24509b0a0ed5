import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiPropertyOptional, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import {
  ApproveRepairEstimateInput,
  AssignTechnicianInput,
  OpenRepairTicketInput,
  RepairTicketFilter,
  UpdateRepairTicketInput,
} from '../repair.inputs.js';
import { RepairsService } from '../repairs.service.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { RepairTicketView } from '../repair.views.js';

/**
 * The page and the filter of GET /repair-tickets: the GraphQL RepairTicketFilter's fields and
 * rules, in the query string, where a boolean arrives as the text "true" or "false".
 */
class RepairTicketListQuery extends IntersectionType(PageQuery, OmitType(RepairTicketFilter, ['overdue'] as const)) {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'true: only tickets past their due time and not yet ready; false: only the others.',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

/** Bodies of the ticket's actions: the ticket comes from the path. */
@ApiSchema({ name: 'AssignTechnicianBody' })
class AssignBody extends OmitType(AssignTechnicianInput, ['ticketId'] as const) {}
@ApiSchema({ name: 'UpdateRepairTicketBody' })
class UpdateBody extends OmitType(UpdateRepairTicketInput, ['ticketId'] as const) {}
@ApiSchema({ name: 'ApproveRepairEstimateBody' })
class ApproveBody extends OmitType(ApproveRepairEstimateInput, ['ticketId'] as const) {}

@ApiTags('repairs')
@ApiBearerAuth()
@Controller()
export class RepairTicketsController {
  constructor(private readonly repairs: RepairsService) {}

  @Get('repair-tickets')
  @Operation({
    id: 'listRepairTickets',
    summary: "Tickets at the caller's center, opened by it, or on its units (manufacturers), a page at a time",
    ok: connectionOf(RepairTicketView, 'RepairTicket'),
    problems: [403],
  })
  list(@Ctx() ctx: RequestContext, @Query() query: RepairTicketListQuery) {
    const { first, after, ...filter } = query;
    return this.repairs.list(ctx, first, after, filter);
  }

  @Post('repair-tickets')
  @Operation({
    id: 'openRepairTicket',
    summary: 'Take a unit in for repair at a service center (by unitId, or by serialNumber with manufacturerId)',
    ok: RepairTicketView,
    status: 201,
    problems: [403, 404],
  })
  async open(@Ctx() ctx: RequestContext, @Body() input: OpenRepairTicketInput) {
    return restResult(await this.repairs.open(ctx, input));
  }

  @Get('repair-tickets/:id')
  @Operation({
    id: 'getRepairTicket',
    summary: 'One ticket with its parts, estimate, coverage at intake and history',
    ok: RepairTicketView,
    problems: [404],
  })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.repairs.get(ctx, id);
  }

  @Patch('repair-tickets/:id')
  @Operation({
    id: 'updateRepairTicket',
    summary: 'Work the ticket: move its status, record a diagnosis, add parts and labor, leave a note',
    ok: RepairTicketView,
    problems: [403, 404],
  })
  async update(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: UpdateBody) {
    return restResult(await this.repairs.update(ctx, { ...body, ticketId: id }));
  }

  @Post(actionPath('repair-tickets', 'assignTechnician'))
  @HttpCode(200)
  @Operation({
    id: 'assignTechnician',
    summary: 'The service center assigns one of its technicians',
    ok: RepairTicketView,
    problems: [403, 404],
  })
  async assign(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AssignBody) {
    return restResult(await this.repairs.assignTechnician(ctx, { ...body, ticketId: id }));
  }

  @Post(actionPath('repair-tickets', 'approveEstimate'))
  @HttpCode(200)
  @Operation({
    id: 'approveRepairEstimate',
    summary:
      "The customer's approval of the estimate, by the organization that opened the ticket or the service center",
    ok: RepairTicketView,
    problems: [403, 404],
  })
  async approve(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ApproveBody) {
    return restResult(await this.repairs.approveEstimate(ctx, { ...body, ticketId: id }));
  }
}
