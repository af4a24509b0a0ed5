import type { FailureCategory } from '../../products/warranty-terms.js';
import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  GenericError,
  InvalidStateTransitionError,
  resultType,
  VersionConflictError,
} from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { OrganizationType, TechnicianType } from '../../organizations/graphql/organization.types.js';
import { FailureCategoryEnum } from '../../products/product.enums.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { WarrantyClaimType } from '../../warranty/graphql/claim.types.js';
import { CoverageCheckType } from '../../warranty/graphql/coverage.types.js';
import { RepairStatusEnum } from '../repair.enums.js';
import type { RepairStatus } from '../repair-ticket.machine.js';

@ObjectType('RepairPart')
class RepairPartType {
  @Field() partNumber: string;
  @Field() description: string;
  @Field(() => Int) quantity: number;
  @Field(() => MoneyType) unitCost: MoneyType;
}

@ObjectType('RepairEstimate')
class RepairEstimateType {
  @Field(() => MoneyType) total: MoneyType;
  @Field(() => MoneyType, { description: 'The part the warranty or plan pays.' }) covered: MoneyType;
  @Field(() => MoneyType, { description: 'The part the customer pays (deductible and uncovered work included).' })
  customerPays: MoneyType;
  @Field(() => GraphQLISODateTime, { nullable: true }) approvedAt: Date | null;
}

@ObjectType('RepairStatusChange')
export class RepairStatusChangeType {
  @Field(() => RepairStatusEnum, { nullable: true }) from: RepairStatus | null;
  @Field(() => RepairStatusEnum) to: RepairStatus;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => OrganizationType) actor: OrganizationType;
  @Field(() => TechnicianType, { nullable: true }) technician: TechnicianType | null;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('RepairTicket', { implements: () => [NodeInterface] })
export class RepairTicketType {
  @Field(() => ID) id: string;
  @Field() number: string;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => OrganizationType) serviceCenter: OrganizationType;
  @Field(() => TechnicianType, { nullable: true }) technician: TechnicianType | null;
  @Field(() => RepairStatusEnum) status: RepairStatus;
  @Field(() => [RepairStatusEnum], { description: 'The states a caller may move the ticket to next.' })
  nextStates: RepairStatus[];
  @Field() reportedIssue: string;
  @Field(() => FailureCategoryEnum) failureCategory: FailureCategory;
  @Field(() => CoverageCheckType, { description: 'The coverage check made at intake.' })
  coverageAtIntake: CoverageCheckType;
  @Field(() => String, { nullable: true }) diagnosis: string | null;
  @Field(() => [RepairPartType]) parts: RepairPartType[];
  @Field(() => Int) laborMinutes: number;
  @Field(() => RepairEstimateType, { nullable: true }) estimate: RepairEstimateType | null;
  @Field(() => WarrantyClaimType, { nullable: true }) warrantyClaim: WarrantyClaimType | null;
  @Field(() => GraphQLISODateTime, {
    description: "When the ticket is due by the service center's turnaround target, and whether that has passed.",
  })
  dueAt: Date;
  @Field() overdue: boolean;
  @Field(() => [RepairStatusChangeType]) history: RepairStatusChangeType[];
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Int) version: number;
}

export const RepairTicketConnection = connectionTypes(RepairTicketType, 'RepairTicket');

const ticketOr = resultType(RepairTicketType);

export const OpenRepairTicketResult = createUnionType({
  name: 'OpenRepairTicketResult',
  types: () => [RepairTicketType, GenericError] as const,
  resolveType: ticketOr,
});

export const UpdateRepairTicketResult = createUnionType({
  name: 'UpdateRepairTicketResult',
  types: () => [RepairTicketType, InvalidStateTransitionError, VersionConflictError, GenericError] as const,
  resolveType: ticketOr,
});
