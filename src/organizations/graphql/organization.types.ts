import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { NodeInterface } from '../../common/graphql/node.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import type { ApiKeyRole } from '../api-key.entity.js';
import type { OrganizationKind } from '../organization.entity.js';
import { ApiKeyRoleEnum, OrganizationKindEnum } from '../organization.enums.js';

@ObjectType('Organization', { implements: () => [NodeInterface] })
export class OrganizationType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => OrganizationKindEnum) kind: OrganizationKind;
  @Field(() => MoneyType, {
    nullable: true,
    description: 'Service centers: the hourly labor rate used in repair estimates.',
  })
  laborRate: MoneyType | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Service centers: the turnaround target for a repair ticket, in calendar days.',
  })
  turnaroundDays: number | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('Technician', { implements: () => [NodeInterface] })
export class TechnicianType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => OrganizationType) serviceCenter: OrganizationType;
  @Field() active: boolean;
}

@ObjectType('ApiKey', { implements: () => [NodeInterface] })
export class ApiKeyType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ApiKeyRoleEnum) role: ApiKeyRole;
  @Field({ description: 'First characters of the key, safe to show (e.g. wrk_live_3f9a).' }) prefix: string;
  @Field(() => OrganizationType) organization: OrganizationType;
  @Field(() => TechnicianType, { nullable: true }) technician: TechnicianType | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => ApiKeyType) apiKey: ApiKeyType;
  @Field({ description: 'The whole key. Returned once, never stored in clear.' }) secret: string;
}

export const OrganizationConnection = connectionTypes(OrganizationType, 'Organization');
export const ApiKeyConnection = connectionTypes(ApiKeyType, 'ApiKey');
