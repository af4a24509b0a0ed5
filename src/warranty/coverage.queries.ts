import type { EntityManager } from 'typeorm';
import { readRunner } from '../database/read-routing.js';
import type { WarrantyTerms } from '../products/warranty-terms.js';
import { UnitEntity } from '../units/unit.entity.js';
import type { AttachedPlanFacts, RepairWarrantyFacts } from './coverage-engine.js';

/**
 * The queries behind coverage checks: the facts of any number of units in one query (the units,
 * their products' terms, attached plans, live claims per coverage, closed repairs), and the
 * originals of replacements for the carry-over. They fetch rows; the rules stay in the engine.
 */

/** Units are looked up by serial number (coverage checks) or by id (claims, repairs, returns, upgrades). */
export type CoverageFactsKey = 'serial' | 'id';

/** The coverage-facts query: its text is fixed per key, so PostgreSQL can keep it prepared. */
export function coverageFactsSql(by: CoverageFactsKey): string {
  return `SELECT u.*, p.warranty_terms,
              (SELECT coalesce(json_agg(json_build_object(
                        'servicePlanId', usp.service_plan_id, 'name', sp.name, 'startsAt', usp.starts_at, 'endsAt', usp.ends_at,
                        'coverageTypes', sp.coverage_types, 'excludedFailures', sp.excluded_failures, 'maxClaims', sp.max_claims,
                        'deductibleAmount', sp.deductible_amount::text, 'deductibleCurrency', sp.deductible_currency) ORDER BY usp.id), '[]')
                 FROM unit_service_plans usp JOIN service_plans sp ON sp.id = usp.service_plan_id WHERE usp.unit_id = u.id) AS plans,
              (SELECT coalesce(json_object_agg(c.coverage_key, c.n), '{}')
                 FROM (SELECT coverage_key, count(*)::int AS n FROM warranty_claims
                        WHERE unit_id = u.id AND coverage_key IS NOT NULL AND status NOT IN ('REJECTED', 'CANCELLED')
                        GROUP BY coverage_key) c) AS claims,
              -- plans that moved to a replacement keep the claims made under them on the original
              CASE WHEN u.carry_over AND u.replacement_of_id IS NOT NULL THEN
                (SELECT coalesce(json_object_agg(c.coverage_key, c.n), '{}')
                   FROM (SELECT coverage_key, count(*)::int AS n FROM warranty_claims
                          WHERE unit_id = u.replacement_of_id AND coverage_key LIKE 'plan:%' AND status NOT IN ('REJECTED', 'CANCELLED')
                          GROUP BY coverage_key) c)
              END AS moved_plan_claims,
              (SELECT coalesce(json_agg(json_build_object(
                        'ticketId', t.id, 'ticketNumber', t.number, 'closedOn', (t.closed_at AT TIME ZONE 'UTC')::date,
                        'failureCategory', t.failure_category) ORDER BY t.id), '[]')
                 FROM repair_tickets t WHERE t.unit_id = u.id AND t.status = 'CLOSED') AS repairs
         FROM units u JOIN products p ON p.id = u.product_id
        WHERE ${by === 'serial' ? 'u.serial_number = ANY($1::text[])' : 'u.id = ANY($1::uuid[])'}`;
}

export interface CoverageFactsRow {
  id: string;
  product_id: string;
  manufacturer_id: string;
  retailer_id: string | null;
  serial_number: string;
  purchase_date: string;
  delivery_date: string | null;
  purchase_price_amount: string | null;
  purchase_price_currency: string | null;
  proof_of_purchase_ref: string | null;
  registered_at: Date;
  status: UnitEntity['status'];
  owner: UnitEntity['owner'];
  replacement_of_id: string | null;
  replaced_by_id: string | null;
  carry_over: boolean;
  version: number;
  updated_at: Date;
  warranty_terms: WarrantyTerms;
  plans: (Omit<AttachedPlanFacts, 'deductible'> & {
    deductibleAmount: string | null;
    deductibleCurrency: string | null;
  })[];
  claims: Record<string, number>;
  moved_plan_claims: Record<string, number> | null;
  repairs: RepairWarrantyFacts[];
  repair_org_ids: string[];
  open_repair_center_id: string | null;
}

/** The coverage facts of the units with these serial numbers or ids, in one query. */
export function findCoverageFacts(
  em: EntityManager,
  by: CoverageFactsKey,
  keys: string[],
): Promise<CoverageFactsRow[]> {
  return queryPrepared(em, `coverage-facts-by-${by}`, coverageFactsSql(by), [keys]);
}

/**
 * A hot query as a named prepared statement: PostgreSQL parses and plans it once per connection
 * instead of on every check. Inside a transaction it runs on the caller's manager; else on a read
 * runner (a replica when the request may read one).
 */
async function queryPrepared<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const db = em.dataSource;
  if (em !== db.manager) return em.query(text, values);
  const runner = readRunner(db);
  try {
    const client = (await runner.connect()) as {
      query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: T[] }>;
    };
    db.logger.logQuery(text, values, runner);
    return (await client.query({ name, text, values })).rows;
  } finally {
    await runner.release();
  }
}

/** The facts of a replaced unit that its replacement's carry-over depends on. */
export interface ReplacedUnitRow {
  id: string;
  purchase_date: string;
  delivery_date: string | null;
  registered_at: Date;
  warranty_terms: WarrantyTerms;
}

export async function findReplacedUnits(em: EntityManager, ids: string[]): Promise<ReplacedUnitRow[]> {
  if (ids.length === 0) return [];
  return em.query(
    `SELECT u.id, u.purchase_date, u.delivery_date, u.registered_at, p.warranty_terms FROM units u JOIN products p ON p.id = u.product_id WHERE u.id = ANY($1::uuid[])`,
    [ids],
  );
}

/** A coverage-facts row as the unit entity (what the unit rules and views read). */
export function unitOfFactsRow(r: CoverageFactsRow): UnitEntity {
  return Object.assign(new UnitEntity(), {
    id: r.id,
    productId: r.product_id,
    manufacturerId: r.manufacturer_id,
    retailerId: r.retailer_id,
    serialNumber: r.serial_number,
    purchaseDate: r.purchase_date,
    deliveryDate: r.delivery_date,
    purchasePriceAmount: r.purchase_price_amount,
    purchasePriceCurrency: r.purchase_price_currency,
    proofOfPurchaseRef: r.proof_of_purchase_ref,
    registeredAt: r.registered_at,
    status: r.status,
    owner: r.owner,
    replacementOfId: r.replacement_of_id,
    replacedById: r.replaced_by_id,
    carryOver: r.carry_over,
    repairOrgIds: r.repair_org_ids,
    openRepairCenterId: r.open_repair_center_id,
    importKey: null,
    version: r.version,
    updatedAt: r.updated_at,
  });
}
