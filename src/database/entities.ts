import { OutboxEventEntity } from '../common/lifecycle/outbox-event.entity.js';
import { ApiKeyEntity } from '../organizations/api-key.entity.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import { TechnicianEntity } from '../organizations/technician.entity.js';
import { ProductEntity } from '../products/product.entity.js';
import { ServicePlanEntity } from '../products/service-plan.entity.js';
import { RepairHistoryEntity, RepairTicketEntity } from '../repairs/repair-ticket.entity.js';
import { ReturnEntity, ReturnHistoryEntity, ReturnLineEntity, ReturnPolicyEntity } from '../returns/return.entity.js';
import { UnitEventEntity } from '../units/unit-event.entity.js';
import { UnitServicePlanEntity } from '../units/unit-service-plan.entity.js';
import { UnitEntity } from '../units/unit.entity.js';
import { UpgradeHistoryEntity, UpgradeProgramEntity, UpgradeRequestEntity } from '../upgrades/upgrade.entity.js';
import { ClaimHistoryEntity, WarrantyClaimEntity } from '../warranty/claim.entity.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity.js';
import {
  CouponEntity,
  OutreachJourneyEntity,
  OutreachMessageEntity,
  OutreachRecipientEntity,
  SurveyResponseEntity,
} from '../outreach/outreach.entities.js';
import { ProductResourceEntity } from '../products/product-resource.entity.js';

export const ENTITIES = [
  OrganizationEntity,
  TechnicianEntity,
  ApiKeyEntity,
  ProductEntity,
  ServicePlanEntity,
  UnitEntity,
  UnitServicePlanEntity,
  UnitEventEntity,
  OutboxEventEntity,
  WarrantyClaimEntity,
  ClaimHistoryEntity,
  RepairTicketEntity,
  RepairHistoryEntity,
  ReturnPolicyEntity,
  ReturnEntity,
  ReturnLineEntity,
  ReturnHistoryEntity,
  UpgradeProgramEntity,
  UpgradeRequestEntity,
  UpgradeHistoryEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  ProductResourceEntity,
  OutreachJourneyEntity,
  OutreachMessageEntity,
  OutreachRecipientEntity,
  CouponEntity,
  SurveyResponseEntity,
];
