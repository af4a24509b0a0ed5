import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import type { DomainEvent } from '../common/lifecycle/outbox.js';
import type { NormalizedRegistration } from './unit-registration.js';

/**
 * The writes of the bulk import, set-based: a batch's rows go into a staging table in one go (COPY
 * on PostgreSQL; one INSERT from arrays on the embedded PGlite, which has no COPY FROM STDIN), then
 * one statement inserts the units whose serial number is new and, for exactly those, their history
 * and outbox rows. The rules are unit-import.service.ts'.
 */

/** A unit of the batch: its id, the id of its REGISTERED history row, its registration and its outbox event. */
export interface ImportedUnit {
  id: string;
  eventId: string;
  registration: NormalizedRegistration;
  event: DomainEvent;
}

/** A unit already stored with a serial number of the batch, and the import that created it, if any. */
export interface StoredSerial {
  id: string;
  manufacturerId: string;
  serialNumber: string;
  importKey: string | null;
}

/**
 * The staging table: the session's own (TEMP), emptied by every commit, created by the first batch
 * a connection writes. Its columns are loosely typed: the units table's own types and constraints
 * decide, so a value one of them refuses fails the statement that inserts the units.
 */
const STAGING_COLUMNS: [name: string, type: string, value: (unit: ImportedUnit) => string | null][] = [
  ['id', 'uuid', (u) => u.id],
  ['event_id', 'uuid', (u) => u.eventId],
  ['product_id', 'uuid', (u) => u.registration.productId],
  ['manufacturer_id', 'uuid', (u) => u.registration.manufacturerId],
  ['retailer_id', 'uuid', (u) => u.registration.retailerId],
  ['serial_number', 'text', (u) => u.registration.serialNumber],
  ['purchase_date', 'date', (u) => u.registration.purchaseDate],
  ['delivery_date', 'date', (u) => u.registration.deliveryDate],
  ['purchase_price_amount', 'numeric', (u) => u.registration.purchasePriceAmount],
  ['purchase_price_currency', 'text', (u) => u.registration.purchasePriceCurrency],
  ['proof_of_purchase_ref', 'text', (u) => u.registration.proofOfPurchaseRef],
  ['owner', 'jsonb', (u) => (u.registration.owner ? JSON.stringify(u.registration.owner) : null)],
  ['event_type', 'text', (u) => u.event.type],
  ['aggregate_type', 'text', (u) => u.event.aggregateType],
  ['payload', 'jsonb', (u) => JSON.stringify(u.event.payload)],
];
const STAGING = 'unit_import_rows';
const COLUMN_NAMES = STAGING_COLUMNS.map(([name]) => name).join(', ');

/**
 * Writes the batch in the caller's transaction; answers the ids of the units it inserted (those
 * whose manufacturer had no unit with their serial number yet). Units carry `importKey`.
 */
export async function insertImportedBatch(
  em: EntityManager,
  caller: Caller,
  units: ImportedUnit[],
  importKey: string | null,
): Promise<Set<string>> {
  await em.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (${STAGING_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')}) ON COMMIT DELETE ROWS`,
  );
  const client: unknown = await em.queryRunner!.connect();
  if (client instanceof pg.Client) await copyToStaging(client, units);
  else await insertIntoStaging(em, units);
  const inserted: { id: string }[] = await em.query(
    `WITH created AS (
       INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                          purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, import_key)
       SELECT id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
              purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, $1
         FROM ${STAGING}
       ON CONFLICT (manufacturer_id, serial_number) DO NOTHING
       RETURNING id
     ), history AS (
       INSERT INTO unit_events (id, unit_id, type, actor_organization_id, technician_id, summary)
       SELECT s.event_id, s.id, 'REGISTERED', $2, $3, 'Registered with serial number ' || s.serial_number || ' (bulk import)'
         FROM created JOIN ${STAGING} s USING (id)
     ), outbox AS (
       INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, actor_organization_id, payload)
       SELECT s.event_type, s.aggregate_type, s.id, $2, s.payload
         FROM created JOIN ${STAGING} s USING (id) ORDER BY s.id
     )
     SELECT id FROM created`,
    [importKey, caller.organizationId, caller.technicianId],
  );
  return new Set(inserted.map((row) => row.id));
}

/** COPY's text format: a tab between fields, \N for null, and backslash, tab and line breaks escaped. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Rows a COPY message carries: the text stays a small string, made and sent while the next is made. */
const COPY_CHUNK_ROWS = 200;

async function copyToStaging(client: pg.Client, units: ImportedUnit[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${STAGING} (${COLUMN_NAMES}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
  });
  for (let start = 0; start < units.length; start += COPY_CHUNK_ROWS) {
    const lines = units.slice(start, start + COPY_CHUNK_ROWS).map(copyLine);
    stream.write(lines.join('\n') + '\n');
  }
  stream.end();
  await done;
}

const copyLine = (unit: ImportedUnit) => STAGING_COLUMNS.map(([, , value]) => copyField(value(unit))).join('\t');

async function insertIntoStaging(em: EntityManager, units: ImportedUnit[]): Promise<void> {
  await em.query(
    `INSERT INTO ${STAGING} (${COLUMN_NAMES})
     SELECT * FROM unnest(${STAGING_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`,
    STAGING_COLUMNS.map(([, , value]) => units.map(value)),
  );
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
