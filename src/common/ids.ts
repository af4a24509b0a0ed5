import { v7 as uuidv7, validate as uuidValidate } from 'uuid';

/** Ids are UUIDv7: unique without a round trip, and their order is creation order (keyset cursors). */
export const newId = (): string => uuidv7();

export const isUuid = (value: unknown): value is string => typeof value === 'string' && uuidValidate(value);
