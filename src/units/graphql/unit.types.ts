import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { GenericError, resultType, VersionConflictError } from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { DateScalarType, JsonScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { OrganizationType, TechnicianType } from '../../organizations/graphql/organization.types.js';
import { ProductType, ServicePlanType } from '../../products/graphql/product.types.js';
import { UnitStatusEnum } from '../unit.enums.js';
import type { UnitStatus } from '../unit.machine.js';

@ObjectType('Customer')
class CustomerType {
  @Field() name: string;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field() marketingConsent: boolean;
  @Field(() => String, { nullable: true }) locale: string | null;
  @Field(() => DateScalarType, { nullable: true }) birthDate: string | null;
}

@ObjectType('UnitServicePlan')
export class UnitServicePlanType {
  @Field(() => ServicePlanType) plan: ServicePlanType;
  @Field(() => DateScalarType) purchasedAt: string;
  @Field(() => DateScalarType) startsAt: string;
  @Field(() => DateScalarType) endsAt: string;
}

@ObjectType('UnitEvent')
export class UnitEventType {
  @Field(() => GraphQLISODateTime) at: Date;
  @Field() type: string;
  @Field(() => OrganizationType, {
    nullable: true,
    description: 'The organization (and technician, when there is one) that caused it.',
  })
  actor: OrganizationType | null;
  @Field(() => TechnicianType, { nullable: true }) technician: TechnicianType | null;
  @Field() summary: string;
  @Field(() => JsonScalarType, { nullable: true }) data: unknown;
}

export const UnitEventConnection = connectionTypes(UnitEventType, 'UnitEvent');

@ObjectType('Unit', {
  implements: () => [NodeInterface],
  description: 'A registered, serial-numbered unit of a product: its passport.',
})
export class UnitType {
  @Field(() => ID) id: string;
  @Field() serialNumber: string;
  @Field(() => ProductType) product: ProductType;
  @Field(() => OrganizationType, { nullable: true }) retailer: OrganizationType | null;
  @Field(() => DateScalarType) purchaseDate: string;
  @Field(() => DateScalarType, { nullable: true }) deliveryDate: string | null;
  @Field(() => MoneyType, { nullable: true }) purchasePrice: MoneyType | null;
  @Field(() => String, { nullable: true }) proofOfPurchaseRef: string | null;
  @Field(() => GraphQLISODateTime) registeredAt: Date;
  @Field(() => UnitStatusEnum) status: UnitStatus;
  @Field(() => CustomerType, { nullable: true }) owner: CustomerType | null;
  @Field(() => [UnitServicePlanType]) servicePlans: UnitServicePlanType[];
  @Field(() => UnitType, {
    nullable: true,
    description: 'The unit this one replaced (exchange or warranty replacement), and the unit that replaced it.',
  })
  replacementOf: UnitType | null;
  @Field(() => UnitType, { nullable: true }) replacedBy: UnitType | null;
  @Field(() => Int) version: number;
}

export const UnitConnection = connectionTypes(UnitType, 'Unit');

export const RegisterUnitResult = createUnionType({
  name: 'RegisterUnitResult',
  types: () => [UnitType, GenericError] as const,
  resolveType: resultType(UnitType),
});

export const TransferOwnershipResult = createUnionType({
  name: 'TransferOwnershipResult',
  types: () => [UnitType, GenericError, VersionConflictError] as const,
  resolveType: resultType(UnitType),
});

export const AttachServicePlanResult = createUnionType({
  name: 'AttachServicePlanResult',
  types: () => [UnitType, GenericError] as const,
  resolveType: resultType(UnitType),
});
