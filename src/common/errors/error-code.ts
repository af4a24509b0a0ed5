import { registerEnumType } from '@nestjs/graphql';

/** Business failure codes returned in ErrorResult union members (contract.graphql). */
export enum ErrorCode {
  VALIDATION_ERROR = 'VALIDATION_ERROR',
  DUPLICATE_SERIAL_NUMBER = 'DUPLICATE_SERIAL_NUMBER',
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  UNIT_NOT_ACTIVE = 'UNIT_NOT_ACTIVE',
  PURCHASE_DATE_IN_FUTURE = 'PURCHASE_DATE_IN_FUTURE',
  NOT_TRANSFERABLE = 'NOT_TRANSFERABLE',
  PLAN_NOT_ELIGIBLE = 'PLAN_NOT_ELIGIBLE',
  NOT_COVERED = 'NOT_COVERED',
  DUPLICATE_CLAIM = 'DUPLICATE_CLAIM',
  CLAIM_LIMIT_REACHED = 'CLAIM_LIMIT_REACHED',
  RETURN_WINDOW_EXPIRED = 'RETURN_WINDOW_EXPIRED',
  RESOLUTION_NOT_ALLOWED = 'RESOLUTION_NOT_ALLOWED',
  INVALID_STATE_TRANSITION = 'INVALID_STATE_TRANSITION',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  // beyond the contract's list (the schema may grow):
  /** A unit has one open repair ticket at a time. */
  REPAIR_ALREADY_OPEN = 'REPAIR_ALREADY_OPEN',
  /** Work the customer pays for waits for an approved estimate. */
  ESTIMATE_NOT_APPROVED = 'ESTIMATE_NOT_APPROVED',
  // webhooks (webhooks.graphql):
  WEBHOOK_URL_NOT_ALLOWED = 'WEBHOOK_URL_NOT_ALLOWED',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  // outreach (outreach.graphql):
  /** A template uses a variable that does not exist, or does not parse. */
  TEMPLATE_INVALID = 'TEMPLATE_INVALID',
  COUPON_NOT_FOUND = 'COUPON_NOT_FOUND',
  COUPON_ALREADY_REDEEMED = 'COUPON_ALREADY_REDEEMED',
  COUPON_EXPIRED = 'COUPON_EXPIRED',
}
registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  valuesMap: {
    WEBHOOK_URL_NOT_ALLOWED: {
      description:
        'The endpoint URL is refused: not http(s), credentials in it, or it resolves to a private, loopback, link-local or metadata address.',
    },
    UNKNOWN_EVENT_TYPE: { description: 'An event type that is not in the catalogue.' },
    TEMPLATE_INVALID: { description: 'A template uses a variable that does not exist, or does not parse.' },
  },
});
