// The coverage benchmark's data, written with plain SQL so it can go into PostgreSQL or the embedded
// PGlite alike: `query(sql, params)` is either database's client. UNITS units of 3,000 products (every
// tenth with a service plan, up to 20,000 claims), then VACUUM ANALYZE so plans are realistic.
import { randomUUID } from 'node:crypto';

export async function seedCoverage(query, units, log) {
  const manufacturer = randomUUID();
  const retailer = randomUUID();
  await query(
    `INSERT INTO organizations (id, name, kind) VALUES ($1, 'Bench Manufacturer', 'MANUFACTURER'), ($2, 'Bench Retailer', 'RETAILER')`,
    [manufacturer, retailer],
  );
  await query(
    `INSERT INTO products (id, manufacturer_id, sku, name, category, warranty_terms)
     SELECT gen_random_uuid(), $1, 'SKU-' || g, 'Product ' || g, 'CAT-' || (g % 20),
            jsonb_build_object('durationMonths', 12 + (g % 3) * 12, 'startsFrom', 'PURCHASE_DATE', 'coverageTypes', '["PARTS","LABOR"]'::jsonb,
                               'excludedFailures', '[]'::jsonb, 'transferable', true, 'registrationRequiredWithinDays', null, 'maxClaims', 3, 'repairWarrantyDays', 90)
       FROM generate_series(1, 3000) g`,
    [manufacturer],
  );
  const plan = randomUUID();
  await query(
    `INSERT INTO service_plans (id, provider_id, name, duration_months, starts_after_base_warranty, coverage_types, eligible_categories, purchase_window_days, price_amount, price_currency)
     VALUES ($1, $2, 'Bench Care', 36, false, '{PARTS,LABOR}', (SELECT array_agg(DISTINCT category) FROM products), 60, 99, 'USD')`,
    [plan, retailer],
  );
  for (let from = 1; from <= units; from += 200_000) {
    const to = Math.min(units, from + 199_999);
    await query(
      `WITH p AS (SELECT array_agg(id ORDER BY sku) AS ids FROM products)
       INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, registered_at, owner)
       SELECT gen_random_uuid(), p.ids[1 + g % 3000], $1, $2, 'SN-' || g, date '2023-06-01' + (g % 1200), now(), jsonb_build_object('name', 'Owner ' || g)
         FROM generate_series($3::int, $4::int) g, p`,
      [manufacturer, retailer, from, to],
    );
    log(`seeded ${to} units`);
  }
  await query(
    `INSERT INTO unit_service_plans (id, unit_id, service_plan_id, purchased_at, starts_at, ends_at)
     SELECT gen_random_uuid(), u.id, $1, u.purchase_date, u.purchase_date, u.purchase_date + interval '36 months' - interval '1 day'
       FROM units u WHERE right(u.serial_number, 1) = '7'`,
    [plan],
  );
  await query(
    `INSERT INTO warranty_claims (id, number, unit_id, claimant_id, manufacturer_id, status, failure_category, failure_date, description, lines, currency, requested_total, coverage_key)
     SELECT gen_random_uuid(), 'WC-B' || u.serial_number, u.id, $1, u.manufacturer_id, 'SUBMITTED', 'ELECTRICAL', u.purchase_date + 30, 'bench', '[]', 'USD', 100, 'base'
       FROM units u WHERE right(u.serial_number, 2) = '13' LIMIT 20000`,
    [retailer],
  );
  await query('VACUUM ANALYZE', []);
  return { manufacturer, retailer };
}
