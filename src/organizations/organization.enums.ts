import { declareEnum } from '../common/graphql/enums.js';
import { API_KEY_ROLES } from './api-key.entity.js';
import { ORGANIZATION_KINDS } from './organization.entity.js';

export const OrganizationKindEnum = declareEnum('OrganizationKind', ORGANIZATION_KINDS);

export const ApiKeyRoleEnum = declareEnum('ApiKeyRole', API_KEY_ROLES, {
  description:
    "ADMIN manages its organization and keys; STAFF does the organization's work; TECHNICIAN is bound to one technician of a service center; READONLY only reads.",
});
