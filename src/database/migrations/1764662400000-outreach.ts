import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outreach to owners (issue 14, docs/outreach.md): the products' resources, the senders' journeys,
 * one message per journey, unit and occasion (unique, so no retry, restart or replica records a
 * second), what each sender knows of an address (unsubscribed, bounced, last marketing message),
 * coupons, survey answers, and the key that signs owner links when none is configured.
 */
export class Outreach1764662400000 implements MigrationInterface {
  name = 'Outreach1764662400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE product_resources (
        id uuid PRIMARY KEY,
        product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('MANUAL', 'INSTALLATION_GUIDE', 'TUTORIAL', 'VIDEO', 'TRAINING_COURSE', 'FAQ', 'SUPPORT_CONTACT')),
        title text NOT NULL,
        url text NOT NULL,
        locale text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX product_resources_product_idx ON product_resources (product_id, created_at, id);

      CREATE TABLE outreach_journeys (
        id uuid PRIMARY KEY,
        sender_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        kind text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('SERVICE', 'MARKETING')),
        trigger text NOT NULL,
        offset_days integer NOT NULL DEFAULT 0,
        annual_date text,
        channel text NOT NULL CHECK (channel IN ('EMAIL', 'WEBHOOK')),
        product_categories text[] NOT NULL DEFAULT '{}',
        only_without_service_plan boolean NOT NULL DEFAULT false,
        -- empty: the built-in templates of the kind
        templates jsonb NOT NULL DEFAULT '[]',
        coupon jsonb,
        survey jsonb,
        review_url text,
        active boolean NOT NULL DEFAULT true,
        -- the first occasion the journey sends for: the day it was created or last re-activated (no back-fill)
        active_since date NOT NULL,
        -- the planner's mark: every occasion up to this day has been planned
        planned_through date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX outreach_journeys_sender_idx ON outreach_journeys (sender_id, created_at, id);
      CREATE INDEX outreach_journeys_active_idx ON outreach_journeys (id) WHERE active;

      CREATE TABLE outreach_messages (
        id uuid PRIMARY KEY,
        journey_id uuid NOT NULL REFERENCES outreach_journeys (id),
        sender_id uuid NOT NULL REFERENCES organizations (id),
        unit_id uuid NOT NULL REFERENCES units (id),
        occasion date NOT NULL,
        -- one message per journey, unit and occasion; BIRTHDAY and ANNUAL_DATE: per journey, address and occasion
        dedup_key text NOT NULL,
        -- the repair ticket or return the occasion came from (REPAIR_CLOSED, RETURN_RESOLVED)
        source_id uuid,
        channel text NOT NULL,
        status text NOT NULL CHECK (status IN ('QUEUED', 'SENT', 'SUPPRESSED', 'FAILED')),
        suppression_reason text,
        -- the owner's address when the message was sent or suppressed (lower-cased in recipient_key)
        recipient text,
        recipient_key text,
        locale text,
        subject text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_token uuid,
        lease_until timestamptz,
        email_message_id text,
        link_clicks integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT outreach_messages_once UNIQUE (journey_id, dedup_key, occasion)
      );
      CREATE INDEX outreach_messages_due_idx ON outreach_messages (next_attempt_at) WHERE status = 'QUEUED';
      CREATE INDEX outreach_messages_sender_idx ON outreach_messages (sender_id, id);
      CREATE INDEX outreach_messages_journey_idx ON outreach_messages (journey_id, status);
      CREATE INDEX outreach_messages_unit_idx ON outreach_messages (unit_id, id);
      -- the frequency cap looks back over a sender's recent marketing messages to one address
      CREATE INDEX outreach_messages_recipient_idx ON outreach_messages (sender_id, recipient_key, sent_at) WHERE status = 'SENT';

      -- what a sender knows of an address: unsubscribed (undone from the preferences page), bounced
      CREATE TABLE outreach_recipients (
        sender_id uuid NOT NULL REFERENCES organizations (id),
        address text NOT NULL,
        unsubscribed_at timestamptz,
        bounced_at timestamptz,
        bounce_reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sender_id, address)
      );

      CREATE TABLE coupons (
        code text PRIMARY KEY,
        sender_id uuid NOT NULL REFERENCES organizations (id),
        journey_id uuid NOT NULL REFERENCES outreach_journeys (id),
        message_id uuid NOT NULL UNIQUE REFERENCES outreach_messages (id),
        unit_id uuid NOT NULL REFERENCES units (id),
        discount_percent integer,
        discount_amount numeric(19, 4),
        discount_currency char(3),
        expires_on date NOT NULL,
        redeemed_at timestamptz,
        order_reference text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX coupons_journey_idx ON coupons (journey_id);

      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL UNIQUE REFERENCES outreach_messages (id),
        journey_id uuid NOT NULL REFERENCES outreach_journeys (id),
        sender_id uuid NOT NULL REFERENCES organizations (id),
        unit_id uuid NOT NULL REFERENCES units (id),
        score integer NOT NULL,
        comment text,
        answered_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX survey_responses_journey_idx ON survey_responses (journey_id, answered_at, id);

      -- secrets the server makes for itself at first start (the owner-link key when OWNER_LINK_SECRET is unset)
      CREATE TABLE app_secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE app_secrets;
      DROP TABLE survey_responses;
      DROP TABLE coupons;
      DROP TABLE outreach_recipients;
      DROP TABLE outreach_messages;
      DROP TABLE outreach_journeys;
      DROP TABLE product_resources;
    `);
  }
}
