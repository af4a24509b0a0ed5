import type { EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { newId } from '../common/ids.js';
import type { NormalizedRegistration } from './unit-registration.js';

/**
 * The writes of the bulk import: one statement per table for a whole batch (unnest over arrays),
 * where the single registration inserts one entity at a time; the rules are unit-import.service.ts'.
 */

/** A unit of the batch: the id it is inserted with, and its registration. */
export interface ImportedUnit {
  id: string;
  registration: NormalizedRegistration;
}

/** A unit already stored with a serial number of the batch, and the import that created it, if any. */
export interface StoredSerial {
  id: string;
  manufacturerId: string;
  serialNumber: string;
  importKey: string | null;
}

/** Inserts the units whose manufacturer has no unit with their serial number yet; answers the ids it inserted. */
export async function insertImportedUnits(
  em: EntityManager,
  units: ImportedUnit[],
  importKey: string | null,
): Promise<Set<string>> {
  const r = units.map((unit) => unit.registration);
  const inserted: { id: string }[] = await em.query(
    `INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                        purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, import_key)
     SELECT id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
            purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, $12
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::date[], $7::date[], $8::numeric[], $9::text[], $10::text[], $11::jsonb[])
         AS t(id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
              purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner)
     ON CONFLICT (manufacturer_id, serial_number) DO NOTHING
     RETURNING id`,
    [
      units.map((unit) => unit.id),
      r.map((x) => x.productId),
      r.map((x) => x.manufacturerId),
      r.map((x) => x.retailerId),
      r.map((x) => x.serialNumber),
      r.map((x) => x.purchaseDate),
      r.map((x) => x.deliveryDate),
      r.map((x) => x.purchasePriceAmount),
      r.map((x) => x.purchasePriceCurrency),
      r.map((x) => x.proofOfPurchaseRef),
      r.map((x) => (x.owner ? JSON.stringify(x.owner) : null)),
      importKey,
    ],
  );
  return new Set(inserted.map((row) => row.id));
}

/** The stored units with these (manufacturer, serial number) pairs. */
export function findUnitsBySerial(em: EntityManager, registrations: NormalizedRegistration[]): Promise<StoredSerial[]> {
  return em.query(
    `SELECT u.id, u.manufacturer_id AS "manufacturerId", u.serial_number AS "serialNumber", u.import_key AS "importKey"
       FROM units u JOIN unnest($1::uuid[], $2::text[]) AS t(manufacturer_id, serial_number)
         ON u.manufacturer_id = t.manufacturer_id AND u.serial_number = t.serial_number`,
    [registrations.map((x) => x.manufacturerId), registrations.map((x) => x.serialNumber)],
  );
}

/** The REGISTERED history row of each imported unit, with the caller as its actor. */
export async function insertImportedUnitHistory(
  em: EntityManager,
  caller: Caller,
  units: ImportedUnit[],
): Promise<void> {
  await em.query(
    `INSERT INTO unit_events (id, unit_id, type, actor_organization_id, technician_id, summary)
     SELECT t.event_id, t.unit_id, 'REGISTERED', $3, $4, 'Registered with serial number ' || t.serial_number || ' (bulk import)'
       FROM unnest($1::uuid[], $2::uuid[], $5::text[]) AS t(event_id, unit_id, serial_number)`,
    [
      units.map(() => newId()),
      units.map((unit) => unit.id),
      caller.organizationId,
      caller.technicianId,
      units.map((unit) => unit.registration.serialNumber),
    ],
  );
}
