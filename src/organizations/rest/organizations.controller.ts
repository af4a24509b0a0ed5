import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../organization.entity.js';
import { OrganizationKindEnum } from '../organization.enums.js';
import { CreateApiKeyInput, CreateOrganizationInput, CreateTechnicianInput } from '../organization.inputs.js';
import { OrganizationsService } from '../organizations.service.js';
import { actionPath, optionalUuid, uuidParam } from '../../common/http/params.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { ApiKeyView, CreatedApiKeyView, OrganizationView, TechnicianView } from '../organization.views.js';

/** The directory's query: a page, by kind and by the first letters of the name. */
class OrganizationListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OrganizationKindEnum, enumName: 'OrganizationKind' })
  @IsOptional()
  @IsIn(ORGANIZATION_KINDS, { message: `kind must be one of ${ORGANIZATION_KINDS.join(', ')}` })
  kind?: OrganizationKind;

  @ApiPropertyOptional({ example: 'North', description: "Case-insensitive prefix of the organization's name." })
  @IsOptional()
  @IsString()
  name?: string;
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller()
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get('me')
  @Operation({ id: 'getMe', summary: 'The API key making the call', ok: ApiKeyView })
  me(@Ctx() ctx: RequestContext) {
    return this.organizations.me(ctx);
  }

  @Post('organizations')
  @Operation({
    id: 'createOrganization',
    summary: 'Create an organization (platform operator only)',
    ok: OrganizationView,
    status: 201,
    problems: [403],
  })
  createOrganization(@Ctx() ctx: RequestContext, @Body() input: CreateOrganizationInput) {
    return this.organizations.createOrganization(ctx, input);
  }

  @Get('organizations')
  @Operation({
    id: 'listOrganizations',
    summary: "The directory: every organization's name and kind, a page at a time (any key)",
    ok: connectionOf(OrganizationView, 'Organization'),
  })
  directory(@Ctx() ctx: RequestContext, @Query() query: OrganizationListQuery) {
    const { first, after, ...filter } = query;
    return this.organizations.listOrganizations(ctx, filter, first, after);
  }

  @Get('organizations/:id')
  @Operation({
    id: 'getOrganization',
    summary: 'An organization of the directory',
    ok: OrganizationView,
    problems: [404],
  })
  organization(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.organizations.getOrganization(ctx, id);
  }

  @Get('api-keys')
  @Operation({
    id: 'listApiKeys',
    summary: "The caller organization's API keys, never their secrets (ADMIN keys)",
    ok: connectionOf(ApiKeyView, 'ApiKey'),
    problems: [403],
  })
  apiKeys(@Ctx() ctx: RequestContext, @Query() page: PageQuery) {
    return this.organizations.listApiKeys(ctx, page.first, page.after);
  }

  @Post('api-keys')
  @Operation({
    id: 'createApiKey',
    summary: 'Create an API key; the secret is returned once',
    ok: CreatedApiKeyView,
    status: 201,
    problems: [403, 404],
  })
  createApiKey(@Ctx() ctx: RequestContext, @Body() input: CreateApiKeyInput) {
    return this.organizations.createApiKey(ctx, input);
  }

  @Post(actionPath('api-keys', 'revoke'))
  @HttpCode(200)
  @Operation({ id: 'revokeApiKey', summary: 'Revoke an API key', ok: ApiKeyView, problems: [403, 404] })
  revokeApiKey(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.organizations.revokeApiKey(ctx, id);
  }

  @Get('technicians')
  @ApiQuery({
    name: 'serviceCenterId',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'The platform names the center; a center lists its own.',
  })
  @Operation({
    id: 'listTechnicians',
    summary: "Technicians of the caller's service center",
    ok: [TechnicianView],
    problems: [403, 404],
  })
  technicians(
    @Ctx() ctx: RequestContext,
    @Query('serviceCenterId', optionalUuid('serviceCenterId')) serviceCenterId?: string,
  ) {
    return this.organizations.listTechnicians(ctx, serviceCenterId);
  }

  @Post('technicians')
  @Operation({
    id: 'createTechnician',
    summary: 'Add a technician to a service center (its ADMIN or the platform)',
    ok: TechnicianView,
    status: 201,
    problems: [403, 404],
  })
  createTechnician(@Ctx() ctx: RequestContext, @Body() input: CreateTechnicianInput) {
    return this.organizations.createTechnician(ctx, input);
  }
}
