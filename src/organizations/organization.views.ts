import { ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { ApiKeyRoleEnum, OrganizationKindEnum } from './organization.enums.js';
import type { MoneyType } from '../common/money/money.types.js';
import { moneyOrNull } from '../common/money/money.types.js';
import type { ApiKeyEntity, ApiKeyRole } from './api-key.entity.js';
import type { OrganizationEntity, OrganizationKind } from './organization.entity.js';
import type { TechnicianEntity } from './technician.entity.js';

/** The API's shape of the records (GraphQL and REST alike); relations are ids, resolved by GraphQL. */
@ApiSchema({ name: 'Organization' })
export class OrganizationView {
  @ApiId() id: string;
  @ApiText('Northwind Appliances') name: string;
  @ApiEnum(OrganizationKindEnum, 'OrganizationKind') kind: OrganizationKind;
  @ApiMoney({ nullable: true, description: "A service center's hourly labor rate." }) laborRate: MoneyType | null;
  @ApiInt(5, { nullable: true }) turnaroundDays: number | null;
  @ApiDateTime() createdAt: Date;
}

@ApiSchema({ name: 'Technician' })
export class TechnicianView {
  @ApiId() id: string;
  @ApiText('Grace Hopper') name: string;
  @ApiText('grace@example.com', { nullable: true }) email: string | null;
  @ApiId() serviceCenterId: string;
  @ApiBool(true) active: boolean;
}

@ApiSchema({ name: 'ApiKey', description: 'An API key; never its secret.' })
export class ApiKeyView {
  @ApiId() id: string;
  @ApiText('Front desk') name: string;
  @ApiEnum(ApiKeyRoleEnum, 'ApiKeyRole') role: ApiKeyRole;
  @ApiText('ak_3f9c', { description: 'The first characters of the secret, to recognise the key.' }) prefix: string;
  @ApiId() organizationId: string;
  @ApiId({ nullable: true }) technicianId: string | null;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) expiresAt: Date | null;
  @ApiDateTime({ nullable: true }) revokedAt: Date | null;
}

@ApiSchema({ name: 'CreatedApiKey', description: 'A new key and its secret, shown this once.' })
export class CreatedApiKeyView {
  @ApiNested(() => ApiKeyView) apiKey: ApiKeyView;
  @ApiText('ak_3f9c…', { description: 'The secret to send as Bearer token; it cannot be read again.' }) secret: string;
}

export const toOrganizationView = (o: OrganizationEntity): OrganizationView =>
  typed(
    {
      id: o.id,
      name: o.name,
      kind: o.kind,
      laborRate: moneyOrNull(o.laborRateAmount, o.laborRateCurrency),
      turnaroundDays: o.turnaroundDays,
      createdAt: o.createdAt,
    },
    'Organization',
  );

export const toTechnicianView = (t: TechnicianEntity): TechnicianView =>
  typed(
    {
      id: t.id,
      name: t.name,
      email: t.email,
      serviceCenterId: t.serviceCenterId,
      active: t.active,
    },
    'Technician',
  );

export const toApiKeyView = (k: ApiKeyEntity): ApiKeyView =>
  typed(
    {
      id: k.id,
      name: k.name,
      role: k.role,
      prefix: k.prefix,
      organizationId: k.organizationId,
      technicianId: k.technicianId,
      createdAt: k.createdAt,
      expiresAt: k.expiresAt,
      revokedAt: k.revokedAt,
    },
    'ApiKey',
  );
