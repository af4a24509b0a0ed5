import { declareEnum } from '../common/graphql/enums.js';
import { WEBHOOK_DELIVERY_STATUSES } from './webhook-delivery.entity.js';

export const WebhookDeliveryStatusEnum = declareEnum('WebhookDeliveryStatus', WEBHOOK_DELIVERY_STATUSES);
