import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, keys, technicians, the catalog, units with their history, outbox, idempotency. */
export class Foundation1763798400000 implements MigrationInterface {
  name = 'Foundation1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('MANUFACTURER', 'RETAILER', 'SERVICE_CENTER', 'PLATFORM')),
        labor_rate_amount numeric(19, 4),
        labor_rate_currency char(3),
        turnaround_days integer CHECK (turnaround_days > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE technicians (
        id uuid PRIMARY KEY,
        service_center_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        email text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX technicians_service_center_idx ON technicians (service_center_id, id);
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations (id),
        technician_id uuid REFERENCES technicians (id),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('ADMIN', 'STAFF', 'TECHNICIAN', 'READONLY')),
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        from_env boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        CHECK ((role = 'TECHNICIAN') = (technician_id IS NOT NULL))
      );
      CREATE INDEX api_keys_organization_idx ON api_keys (organization_id, id);
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        manufacturer_id uuid NOT NULL REFERENCES organizations (id),
        sku text NOT NULL,
        name text NOT NULL,
        category text NOT NULL,
        warranty_terms jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT products_manufacturer_sku_key UNIQUE (manufacturer_id, sku)
      );
      CREATE INDEX products_category_idx ON products (category, id);
      CREATE TABLE service_plans (
        id uuid PRIMARY KEY,
        provider_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        duration_months integer NOT NULL CHECK (duration_months > 0),
        starts_after_base_warranty boolean NOT NULL,
        coverage_types text[] NOT NULL,
        excluded_failures text[] NOT NULL DEFAULT '{}',
        eligible_categories text[] NOT NULL,
        purchase_window_days integer NOT NULL CHECK (purchase_window_days >= 0),
        max_claims integer CHECK (max_claims > 0),
        deductible_amount numeric(19, 4),
        deductible_currency char(3),
        price_amount numeric(19, 4) NOT NULL,
        price_currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE units (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products (id),
        manufacturer_id uuid NOT NULL REFERENCES organizations (id),
        retailer_id uuid REFERENCES organizations (id),
        serial_number text NOT NULL,
        purchase_date date NOT NULL,
        delivery_date date,
        purchase_price_amount numeric(19, 4),
        purchase_price_currency char(3),
        proof_of_purchase_ref text,
        registered_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED')),
        owner jsonb,
        replacement_of_id uuid REFERENCES units (id),
        replaced_by_id uuid REFERENCES units (id),
        import_key text,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT units_manufacturer_serial_key UNIQUE (manufacturer_id, serial_number)
      );
      CREATE INDEX units_serial_idx ON units (serial_number);
      CREATE INDEX units_manufacturer_idx ON units (manufacturer_id, id);
      CREATE INDEX units_retailer_idx ON units (retailer_id, id);
      CREATE INDEX units_product_idx ON units (product_id, id);
      CREATE TABLE unit_service_plans (
        id uuid PRIMARY KEY,
        unit_id uuid NOT NULL REFERENCES units (id),
        service_plan_id uuid NOT NULL REFERENCES service_plans (id),
        purchased_at date NOT NULL,
        starts_at date NOT NULL,
        ends_at date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT unit_service_plans_unit_plan_key UNIQUE (unit_id, service_plan_id)
      );
      CREATE TABLE unit_events (
        id uuid PRIMARY KEY,
        unit_id uuid NOT NULL REFERENCES units (id),
        at timestamptz NOT NULL DEFAULT now(),
        type text NOT NULL,
        actor_organization_id uuid REFERENCES organizations (id),
        technician_id uuid REFERENCES technicians (id),
        summary text NOT NULL,
        data jsonb
      );
      CREATE INDEX unit_events_unit_idx ON unit_events (unit_id, id);
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        event_type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        actor_organization_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL;
      CREATE TABLE idempotency_keys (
        api_key_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response_body text,
        response_content_type text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (api_key_id, key)
      );
      CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE idempotency_keys;
      DROP TABLE outbox_events;
      DROP TABLE unit_events;
      DROP TABLE unit_service_plans;
      DROP TABLE units;
      DROP TABLE service_plans;
      DROP TABLE products;
      DROP TABLE api_keys;
      DROP TABLE technicians;
      DROP TABLE organizations;
    `);
  }
}
