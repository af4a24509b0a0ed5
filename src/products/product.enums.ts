import { registerEnumType } from '@nestjs/graphql';

export enum CoverageTypeEnum {
  PARTS = 'PARTS',
  LABOR = 'LABOR',
  ACCIDENTAL_DAMAGE = 'ACCIDENTAL_DAMAGE',
  ON_SITE = 'ON_SITE',
  SHIPPING = 'SHIPPING',
}
registerEnumType(CoverageTypeEnum, { name: 'CoverageType' });

export enum FailureCategoryEnum {
  ELECTRICAL = 'ELECTRICAL',
  MECHANICAL = 'MECHANICAL',
  DISPLAY = 'DISPLAY',
  BATTERY = 'BATTERY',
  SOFTWARE = 'SOFTWARE',
  COSMETIC = 'COSMETIC',
  ACCIDENTAL_DAMAGE = 'ACCIDENTAL_DAMAGE',
  LIQUID_DAMAGE = 'LIQUID_DAMAGE',
  OTHER = 'OTHER',
}
registerEnumType(FailureCategoryEnum, { name: 'FailureCategory' });

export enum CoverageStartEnum {
  PURCHASE_DATE = 'PURCHASE_DATE',
  DELIVERY_DATE = 'DELIVERY_DATE',
  REGISTRATION_DATE = 'REGISTRATION_DATE',
}
registerEnumType(CoverageStartEnum, { name: 'CoverageStart' });
