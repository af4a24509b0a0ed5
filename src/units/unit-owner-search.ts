import { likePrefixPattern } from '../common/sql/like-pattern.js';

/**
 * Finding units by their owner (a help desk with the customer on the phone): the owner filters of
 * `units`. Each compares a normalized key of the stored owner; the SQL expressions are those of
 * the indexes of migration 1764489600000 (units_owner_email_idx, units_owner_phone_idx,
 * units_owner_name_idx), character for character, or PostgreSQL would not use them.
 *
 * The filters only narrow what the caller may see, and only among units whose owner it may read
 * (ownerVisibility): listUnits adds that rule whenever one of them is given.
 */
interface OwnerFilter {
  ownerEmail?: string | null;
  ownerPhone?: string | null;
  ownerNamePrefix?: string | null;
}

const ownerEmailKey = (alias: string) => `lower(${alias}.owner ->> 'email')`;
const ownerPhoneKey = (alias: string) => `regexp_replace(${alias}.owner ->> 'phone', '[^0-9]', '', 'g')`;
const ownerNameKey = (alias: string) => `lower(${alias}.owner ->> 'name')`;

/** A phone number as compared: its digits only ("+44 (20) 7946-0000" is "442079460000"). */
const phoneDigits = (phone: string) => phone.replace(/[^0-9]/g, '');

export const hasOwnerFilter = (filter: OwnerFilter | null | undefined): boolean =>
  !!(filter?.ownerEmail || filter?.ownerPhone || filter?.ownerNamePrefix);

/**
 * The conditions of the owner filters on a units alias; `param` takes a value and answers its
 * placeholder ($n). Lower-casing is PostgreSQL's on both sides, so stored and asked text fold alike.
 */
export function ownerFilterConditions(filter: OwnerFilter, alias: string, param: (value: unknown) => string): string[] {
  const conditions: string[] = [];
  if (filter.ownerEmail) conditions.push(`${ownerEmailKey(alias)} = lower(${param(filter.ownerEmail.trim())})`);
  if (filter.ownerPhone) conditions.push(`${ownerPhoneKey(alias)} = ${param(phoneDigits(filter.ownerPhone))}`);
  if (filter.ownerNamePrefix)
    conditions.push(
      `${ownerNameKey(alias)} LIKE lower(${param(likePrefixPattern(filter.ownerNamePrefix.trimStart()))})`,
    );
  return conditions;
}
