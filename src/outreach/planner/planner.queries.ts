import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../../common/dates/calendar-date.js';
import type { OutreachChannel, OutreachTrigger } from '../outreach.rules.js';

/**
 * The planner's SQL (docs/outreach.md, "Journeys"): for one journey and a window of occasion days,
 * one INSERT … SELECT records every occasion as a QUEUED message; the unique key (journey,
 * dedup_key, occasion) makes a second planner, a retry or a re-run of today record nothing new.
 * Units are never loaded into the server.
 *
 * Every trigger is a range predicate on the trigger day: occasion = trigger day + offset lies in
 * [from, to] exactly when the trigger day lies in [from − offset, to − offset]. Days are UTC
 * calendar days; `date + make_interval(months => n)` clamps to the month's last day the way
 * DOMAIN.md counts months (2024-01-31 + 1 month = 2024-02-29).
 */

/** A journey as the planner reads it. */
export interface JourneyToPlan {
  id: string;
  senderId: string;
  /** The sender's kind: a retailer reaches the units it sold, a manufacturer its units. */
  senderKind: string;
  trigger: OutreachTrigger;
  offsetDays: number;
  annualDate: string | null;
  channel: OutreachChannel;
  productCategories: string[];
  onlyWithoutServicePlan: boolean;
  activeSince: CalendarDate;
  plannedThrough: CalendarDate | null;
}

/** The active journeys of retailers and manufacturers (service centers have none), in id order. */
export async function findJourneysToPlan(em: EntityManager): Promise<JourneyToPlan[]> {
  return em.query(
    `SELECT j.id, j.sender_id AS "senderId", o.kind AS "senderKind", j.trigger, j.offset_days AS "offsetDays",
            j.annual_date AS "annualDate", j.channel, j.product_categories AS "productCategories",
            j.only_without_service_plan AS "onlyWithoutServicePlan", j.active_since::text AS "activeSince",
            j.planned_through::text AS "plannedThrough"
       FROM outreach_journeys j JOIN organizations o ON o.id = j.sender_id
      WHERE j.active AND o.kind IN ('RETAILER', 'MANUFACTURER')
      ORDER BY j.id`,
  );
}

/** Moves the journey's mark forward only: a slower planner never moves it back. */
export async function markPlannedThrough(em: EntityManager, journeyId: string, day: CalendarDate): Promise<void> {
  await em.query(
    `UPDATE outreach_journeys SET planned_through = $2::date
      WHERE id = $1 AND (planned_through IS NULL OR planned_through < $2::date)`,
    [journeyId, day],
  );
}

/** The days of occasions to plan, inclusive. */
export interface OccasionWindow {
  from: CalendarDate;
  to: CalendarDate;
}

/**
 * A slice of the units table by physical position, blocks [first, end): one statement plans one
 * slice (a TID range scan reads just those blocks), so no statement outlasts the statement timeout
 * and a million units cost one pass over the table per journey. The last slice is open-ended:
 * units written during the round are in it. A unit moved by an update while a round runs may be
 * seen twice (the unique key records it once) or in the next round (today is planned again).
 */
export interface UnitSlice {
  from: string;
  until: string;
}

/** About 25,000 units: a whole-audience greeting stays a few seconds a statement. */
const BLOCKS_PER_SLICE = 1000;
const LAST_BLOCK = 4294967295;

export async function unitSlices(em: EntityManager): Promise<UnitSlice[]> {
  const [{ blocks }]: { blocks: number }[] = await em.query(
    `SELECT (pg_relation_size('units') / current_setting('block_size')::bigint)::int AS blocks`,
  );
  const slices: UnitSlice[] = [];
  for (let first = 0; first === 0 || first < blocks; first += BLOCKS_PER_SLICE) {
    const end = first + BLOCKS_PER_SLICE >= blocks ? LAST_BLOCK : first + BLOCKS_PER_SLICE;
    slices.push({ from: `(${first},0)`, until: `(${end},0)` });
  }
  return slices;
}

/**
 * Records the journey's occasions in the window among a slice of the units as QUEUED messages,
 * in one statement; returns how many were new. Rows go in (dedup_key, occasion) order so that
 * two planners inserting the same keys wait on each other instead of deadlocking.
 */
export async function planOccasions(
  em: EntityManager,
  journey: JourneyToPlan,
  window: OccasionWindow,
  slice: UnitSlice,
  now: Date,
): Promise<number> {
  const audience = journey.senderKind === 'RETAILER' ? 'retailer_id' : 'manufacturer_id';
  const params: unknown[] = [
    journey.id,
    journey.senderId,
    journey.channel,
    window.from,
    window.to,
    journey.offsetDays,
    journey.productCategories,
    journey.onlyWithoutServicePlan,
    now,
    slice.from,
    slice.until,
  ];
  if (journey.trigger === 'ANNUAL_DATE') params.push(journey.annualDate);
  const rows: { id: string }[] = await em.query(planSql(journey.trigger, audience), params);
  return rows.length;
}

type AudienceColumn = 'retailer_id' | 'manufacturer_id';

/**
 * The statement for a trigger. Parameters: $1 journey, $2 sender, $3 channel, $4..$5 the window,
 * $6 offsetDays, $7 productCategories, $8 onlyWithoutServicePlan, $9 now, $10..$11 the slice of units,
 * ($12 annualDate).
 */
export function planSql(trigger: OutreachTrigger, audience: AudienceColumn): string {
  // a UUIDv7 made in SQL (time-ordered like newId(), so lists paged by id stay newest first)
  const uuidV7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
                    substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
                    52, 1), 53, 1), 'hex')::uuid`;
  return `INSERT INTO outreach_messages (id, journey_id, sender_id, unit_id, occasion, dedup_key, source_id, channel, status, next_attempt_at)
          SELECT ${uuidV7}, $1::uuid, $2::uuid, o.unit_id, o.occasion, o.dedup_key, o.source_id, $3::text, 'QUEUED', $9::timestamptz
            FROM (${OCCASIONS[trigger](audience)}) o
           ORDER BY o.dedup_key, o.occasion
          ON CONFLICT (journey_id, dedup_key, occasion) DO NOTHING
          RETURNING id`;
}

/** The sender's units of the slice that pass the journey's filters (units u, products p). */
function audienceOf(column: AudienceColumn): string {
  return `u.ctid >= $10::tid AND u.ctid < $11::tid AND ${filtersOf(column, 'u', 'p')}`;
}

/** The sender's units that pass the journey's filters, for units `u` of products `p`. */
function filtersOf(column: AudienceColumn, u: string, p: string): string {
  return `${u}.${column} = $2::uuid
      AND (cardinality($7::text[]) = 0 OR ${p}.category = ANY($7::text[]))
      AND (NOT $8::boolean OR NOT EXISTS (SELECT 1 FROM unit_service_plans s WHERE s.unit_id = ${u}.id))`;
}

// the window of trigger days: occasion − offset
const FIRST_TRIGGER_DAY = `($4::date - $6::int)`;
const LAST_TRIGGER_DAY = `($5::date - $6::int)`;
// the same window as instants, for timestamps (an index range on them)
const FIRST_INSTANT = `(${FIRST_TRIGGER_DAY}::timestamp AT TIME ZONE 'UTC')`;
const AFTER_LAST_INSTANT = `((${LAST_TRIGGER_DAY} + 1)::timestamp AT TIME ZONE 'UTC')`;
const utcDay = (instant: string) => `(${instant} AT TIME ZONE 'UTC')::date`;

/**
 * The occasions in the window of a yearly month-day (MM-DD text): its day in each year the window
 * touches, 29 February falling on 28 February in other years (PostgreSQL clamps a year added to
 * 2000-02-29 the same way).
 */
const yearlyOccasions = (monthDay: string) => `
  SELECT y.day + $6::int AS occasion
    FROM (SELECT (make_date(2000, substr(${monthDay}, 1, 2)::int, substr(${monthDay}, 4, 2)::int)
                  + make_interval(years => year - 2000))::date AS day
            FROM generate_series(extract(year FROM ${FIRST_TRIGGER_DAY})::int, extract(year FROM ${LAST_TRIGGER_DAY})::int) AS year) y
   WHERE y.day BETWEEN ${FIRST_TRIGGER_DAY} AND ${LAST_TRIGGER_DAY}`;

/** An owner's birthDate as MM-DD, when it is a well-formed date (else no birthday). */
const BIRTH_MONTH_DAY = `CASE WHEN u.owner ->> 'birthDate' ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN substr(u.owner ->> 'birthDate', 6, 5) END`;
/** The MM-DDs of the trigger window's days; 02-29 too when the window holds 28 February of a common year. */
const WINDOW_MONTH_DAYS = `ARRAY(SELECT v.month_day
    FROM generate_series(${FIRST_TRIGGER_DAY}, ${LAST_TRIGGER_DAY}, interval '1 day') d
    CROSS JOIN LATERAL (VALUES (to_char(d, 'MM-DD')),
      (CASE WHEN to_char(d, 'MM-DD') = '02-28' AND to_char(d + interval '1 day', 'MM-DD') = '03-01' THEN '02-29' END)) v(month_day))`;
// the expression of the owner-email index (migration OwnerSearchIndexes), so look-ups by address use it
const OWNER_ADDRESS = `lower(u.owner ->> 'email')`;

/**
 * The per-address choice (BIRTHDAY, ANNUAL_DATE): u is an ACTIVE unit of the audience and no
 * other ACTIVE unit of the audience with the same address was registered after it — the owner's
 * most recently registered one, each address's in exactly one slice. A unit without an address
 * stands for itself (the sender records it as NO_EMAIL).
 */
function ownersLatestUnit(column: AudienceColumn): string {
  return `u.status = 'ACTIVE' AND ${audienceOf(column)}
      AND (${OWNER_ADDRESS} IS NULL OR NOT EXISTS (
        SELECT 1 FROM units v JOIN products pv ON pv.id = v.product_id
         WHERE lower(v.owner ->> 'email') = ${OWNER_ADDRESS} AND v.status = 'ACTIVE'
           AND (v.registered_at, v.id) > (u.registered_at, u.id) AND ${filtersOf(column, 'v', 'pv')}))`;
}

const PER_ADDRESS_KEY = `CASE WHEN ${OWNER_ADDRESS} IS NULL THEN u.id::text ELSE 'addr:' || ${OWNER_ADDRESS} END`;

/** BIRTHDAY: on the birthDate of the owner's most recently registered ACTIVE unit (its owner record). */
function birthdays(audience: AudienceColumn): string {
  return `
    SELECT u.id AS unit_id, y.occasion, ${PER_ADDRESS_KEY} AS dedup_key, NULL::uuid AS source_id
      FROM units u JOIN products p ON p.id = u.product_id
      CROSS JOIN LATERAL (${yearlyOccasions(BIRTH_MONTH_DAY)}) y
     WHERE ${BIRTH_MONTH_DAY} = ANY (${WINDOW_MONTH_DAYS}) AND ${ownersLatestUnit(audience)}`;
}

/** ANNUAL_DATE: annualDate each year; outside the window no unit is read at all (a one-time filter). */
function annualDates(audience: AudienceColumn): string {
  return `
    SELECT u.id AS unit_id, y.occasion, ${PER_ADDRESS_KEY} AS dedup_key, NULL::uuid AS source_id
      FROM (${yearlyOccasions('$12::text')}) y
      CROSS JOIN units u JOIN products p ON p.id = u.product_id
     WHERE ${ownersLatestUnit(audience)}`;
}

/** Each trigger's occasions in the window: (unit_id, occasion, dedup_key, source_id). */
const OCCASIONS: Record<OutreachTrigger, (audience: AudienceColumn) => string> = {
  UNIT_REGISTERED: (audience) => `
    SELECT u.id AS unit_id, ${utcDay('u.registered_at')} + $6::int AS occasion, u.id::text AS dedup_key, NULL::uuid AS source_id
      FROM units u JOIN products p ON p.id = u.product_id
     WHERE u.registered_at >= ${FIRST_INSTANT} AND u.registered_at < ${AFTER_LAST_INSTANT} AND ${audienceOf(audience)}`,

  DAYS_AFTER_PURCHASE: (audience) => `
    SELECT u.id AS unit_id, u.purchase_date + $6::int AS occasion, u.id::text AS dedup_key, NULL::uuid AS source_id
      FROM units u JOIN products p ON p.id = u.product_id
     WHERE u.purchase_date BETWEEN ${FIRST_TRIGGER_DAY} AND ${LAST_TRIGGER_DAY} AND ${audienceOf(audience)}`,

  BEFORE_WARRANTY_ENDS: baseWarrantyEnds,
  UPGRADE_ELIGIBLE: upgradeEligible,

  // a ticket is CLOSED only from READY, after a completed repair (UNREPAIRABLE and CANCELLED are other ends)
  REPAIR_CLOSED: (audience) => `
    SELECT u.id AS unit_id, ${utcDay('t.closed_at')} + $6::int AS occasion, u.id::text AS dedup_key, t.id AS source_id
      FROM repair_tickets t JOIN units u ON u.id = t.unit_id JOIN products p ON p.id = u.product_id
     WHERE t.status = 'CLOSED' AND t.closed_at >= ${FIRST_INSTANT} AND t.closed_at < ${AFTER_LAST_INSTANT}
       AND ${audienceOf(audience)}`,

  // about the unit the owner holds afterwards: an exchanged line's replacement, else the returned unit
  RETURN_RESOLVED: (audience) => `
    SELECT u.id AS unit_id, ${utcDay('h.at')} + $6::int AS occasion, u.id::text AS dedup_key, h.return_id AS source_id
      FROM return_history h
      JOIN return_lines l ON l.return_id = h.return_id
      JOIN units u ON u.id = coalesce(l.replacement_unit_id, l.unit_id)
      JOIN products p ON p.id = u.product_id
     WHERE h.to_status = 'RESOLVED' AND h.at >= ${FIRST_INSTANT} AND h.at < ${AFTER_LAST_INSTANT}
       AND ${audienceOf(audience)}`,

  BIRTHDAY: birthdays,
  ANNUAL_DATE: annualDates,
};

/**
 * BEFORE_WARRANTY_ENDS: the base warranty's last day, (start + durationMonths months) − 1 day, the
 * start per the product's startsFrom (delivery falls back to purchase). No base warranty, no
 * occasion: registered later than registrationRequiredWithinDays after purchase, a 0-month
 * warranty, or a replacement carrying its original's coverage over (coverage-engine.ts). The
 * products (few) give each unit its terms; the day is computed per unit in the same scan.
 */
function baseWarrantyEnds(audience: AudienceColumn): string {
  return `
    SELECT u.id AS unit_id, w.last_day + $6::int AS occasion, u.id::text AS dedup_key, NULL::uuid AS source_id
      FROM units u JOIN products p ON p.id = u.product_id
      CROSS JOIN LATERAL (
        SELECT (CASE p.warranty_terms ->> 'startsFrom'
                  WHEN 'DELIVERY_DATE' THEN coalesce(u.delivery_date, u.purchase_date)
                  WHEN 'REGISTRATION_DATE' THEN ${utcDay('u.registered_at')}
                  ELSE u.purchase_date
                END + make_interval(months => (p.warranty_terms ->> 'durationMonths')::int))::date - 1 AS last_day) w
     WHERE w.last_day BETWEEN ${FIRST_TRIGGER_DAY} AND ${LAST_TRIGGER_DAY}
       AND (p.warranty_terms ->> 'durationMonths')::int > 0
       AND (p.warranty_terms ->> 'registrationRequiredWithinDays' IS NULL
            OR ${utcDay('u.registered_at')} - u.purchase_date <= (p.warranty_terms ->> 'registrationRequiredWithinDays')::int)
       AND NOT (u.replacement_of_id IS NOT NULL AND u.carry_over)
       AND ${audienceOf(audience)}`;
}

/**
 * UPGRADE_ELIGIBLE: the first day the unit is eligible for one of the sender's programs, by the
 * date rules alone — the later of purchase + minMonthsOwned months and the program's start, in an
 * eligible category, not past maxUnitAgeMonths nor the program's end; the earliest over the
 * programs, so a unit has one such day. Status, open repairs or returns and requiresActiveCoverage
 * change from day to day and are not known in advance: the sender checks them when it sends.
 */
function upgradeEligible(audience: AudienceColumn): string {
  return `
    SELECT u.id AS unit_id, min(f.first_day) + $6::int AS occasion, u.id::text AS dedup_key, NULL::uuid AS source_id
      FROM units u JOIN products p ON p.id = u.product_id
      JOIN upgrade_programs g ON g.owner_id = $2::uuid AND p.category = ANY(g.eligible_categories)
      CROSS JOIN LATERAL (
        SELECT greatest((u.purchase_date + make_interval(months => g.min_months_owned))::date, g.valid_from) AS first_day) f
     WHERE (g.max_unit_age_months IS NULL
            OR f.first_day <= (u.purchase_date + make_interval(months => g.max_unit_age_months))::date)
       AND (g.valid_until IS NULL OR f.first_day <= g.valid_until)
       AND ${audienceOf(audience)}
     GROUP BY u.id
    HAVING min(f.first_day) BETWEEN ${FIRST_TRIGGER_DAY} AND ${LAST_TRIGGER_DAY}`;
}
