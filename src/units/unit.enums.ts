import { registerEnumType } from '@nestjs/graphql';

export enum UnitStatusEnum {
  ACTIVE = 'ACTIVE',
  RETURNED = 'RETURNED',
  REPLACED = 'REPLACED',
  TRADED_IN = 'TRADED_IN',
  SCRAPPED = 'SCRAPPED',
}
registerEnumType(UnitStatusEnum, { name: 'UnitStatus' });
