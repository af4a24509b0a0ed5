import { registerEnumType } from '@nestjs/graphql';

export enum OrganizationKindEnum {
  MANUFACTURER = 'MANUFACTURER',
  RETAILER = 'RETAILER',
  SERVICE_CENTER = 'SERVICE_CENTER',
  /** The platform operator's own organization; holds the operator keys. */
  PLATFORM = 'PLATFORM',
}
registerEnumType(OrganizationKindEnum, { name: 'OrganizationKind' });

export enum ApiKeyRoleEnum {
  ADMIN = 'ADMIN',
  STAFF = 'STAFF',
  TECHNICIAN = 'TECHNICIAN',
  READONLY = 'READONLY',
}
registerEnumType(ApiKeyRoleEnum, {
  name: 'ApiKeyRole',
  description:
    "ADMIN manages its organization and keys; STAFF does the organization's work; TECHNICIAN is bound to one technician of a service center; READONLY only reads.",
});
