import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { today } from '../common/dates/calendar-date.js';
import { DomainError } from '../common/errors/domain-error.js';
import { moneyOrNull } from '../common/money/money.types.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import type { WarrantyTerms } from '../products/warranty-terms.js';
import { canSeeUnit } from '../units/unit-visibility.js';
import { UnitEntity } from '../units/unit.entity.js';
import { toUnitView, type UnitView } from '../units/unit.views.js';
import {
  checkCoverage,
  unitNotFoundVerdict,
  type AttachedPlanFacts,
  type CoverageVerdict,
  type RepairWarrantyFacts,
  type UnitCoverageFacts,
} from './coverage-engine.js';
import { MAX_COVERAGE_BATCH, type CoverageQueryInput } from './coverage.inputs.js';

/** The answer to one coverage query; `unit` only for callers who may see the unit. */
export interface CoverageCheckView extends CoverageVerdict {
  serialNumber: string;
  unit: UnitView | null;
}

/**
 * Coverage checks are open to every authenticated organization (a store checks a unit it did not
 * sell), but only a caller who may see the unit gets the unit and its owner. The facts for any
 * number of serials are loaded in a constant number of queries.
 */
@Injectable()
export class CoverageService {
  constructor(private readonly db: DataSource) {}

  async check(ctx: RequestContext, query: CoverageQueryInput): Promise<CoverageCheckView> {
    const [answer] = await this.checkMany(ctx, [query], '');
    return answer;
  }

  async checkMany(
    ctx: RequestContext,
    queries: CoverageQueryInput[],
    fieldPrefix = 'queries',
  ): Promise<CoverageCheckView[]> {
    if (queries.length > MAX_COVERAGE_BATCH) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `queries takes at most ${MAX_COVERAGE_BATCH} checks; got ${queries.length}.`,
        { field: 'queries', errorCode: 'VALIDATION_ERROR' },
      );
    }
    const fieldOf = (i: number, name: string) => (fieldPrefix ? `${fieldPrefix}.${i}.${name}` : name);
    const normalized = queries.map((q, i) => {
      const serialNumber = q.serialNumber?.trim() ?? '';
      if (!serialNumber || serialNumber.length > 100)
        throw new DomainError('BAD_USER_INPUT', 'serialNumber must be 1 to 100 characters.', {
          field: fieldOf(i, 'serialNumber'),
          errorCode: 'VALIDATION_ERROR',
        });
      const manufacturerId =
        q.manufacturerId ?? (ctx.caller.organizationKind === 'MANUFACTURER' ? ctx.caller.organizationId : null);
      return { serialNumber, manufacturerId, asOf: q.asOf ?? today(), failure: q.failureCategory ?? null };
    });
    const loaded = await this.load('serial', [...new Set(normalized.map((q) => q.serialNumber))]);
    return normalized.map((q, i) => {
      const matches = loaded.filter(
        (l) =>
          l.unit.serialNumber === q.serialNumber && (!q.manufacturerId || l.unit.manufacturerId === q.manufacturerId),
      );
      if (matches.length > 1) {
        throw new DomainError(
          'BAD_USER_INPUT',
          `Several manufacturers use serial number "${q.serialNumber}": give manufacturerId.`,
          { field: fieldOf(i, 'manufacturerId'), errorCode: 'VALIDATION_ERROR' },
        );
      }
      const found = matches[0];
      if (!found) return { serialNumber: q.serialNumber, unit: null, ...unitNotFoundVerdict(q.asOf) };
      const verdict = checkCoverage(found.facts, q.asOf, q.failure);
      return {
        serialNumber: q.serialNumber,
        unit: canSeeUnit(ctx.caller, found.unit) ? toUnitView(found.unit, ctx.caller) : null,
        ...verdict,
      };
    });
  }

  /** The coverage facts of one unit, in the caller's transaction (claims lock the unit first). */
  async factsOf(unitId: string, em: EntityManager): Promise<UnitCoverageFacts> {
    const [loaded] = await this.load('id', [unitId], em);
    return loaded.facts;
  }

  /**
   * One query for the units, their products' terms, attached plans, live claims per coverage and
   * closed repairs, however many units; one more only when some unit replaced another (the carry-over).
   */
  private async load(by: 'serial' | 'id', keys: string[], em: EntityManager = this.db.manager): Promise<LoadedUnit[]> {
    if (keys.length === 0) return [];
    const rows: FactsRow[] = await this.prepared(
      em,
      `coverage-facts-by-${by}`,
      `SELECT u.*, p.warranty_terms,
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
        WHERE ${by === 'serial' ? 'u.serial_number = ANY($1::text[])' : 'u.id = ANY($1::uuid[])'}`,
      [keys],
    );
    // an exchange for another reason than a defect links the units but carries no coverage over
    const originalIds = rows
      .filter((r) => r.carry_over)
      .map((r) => r.replacement_of_id)
      .filter((id): id is string => id !== null);
    const originals: {
      id: string;
      purchase_date: string;
      delivery_date: string | null;
      registered_at: Date;
      warranty_terms: WarrantyTerms;
    }[] = originalIds.length
      ? await em.query(
          `SELECT u.id, u.purchase_date, u.delivery_date, u.registered_at, p.warranty_terms FROM units u JOIN products p ON p.id = u.product_id WHERE u.id = ANY($1::uuid[])`,
          [originalIds],
        )
      : [];
    const originalById = new Map(originals.map((o) => [o.id, o]));
    return rows.map((row) => {
      const unit = unitFromRow(row);
      const original = row.replacement_of_id && row.carry_over ? originalById.get(row.replacement_of_id) : undefined;
      const facts: UnitCoverageFacts = {
        status: unit.status,
        purchaseDate: unit.purchaseDate,
        deliveryDate: unit.deliveryDate,
        registeredAt: unit.registeredAt,
        terms: row.warranty_terms,
        plans: row.plans.map((p) => ({ ...p, deductible: moneyOrNull(p.deductibleAmount, p.deductibleCurrency) })),
        // every ticket closed after a completed repair gives a repair warranty (docs/rules.md, coverage rule 3)
        repairs: row.repairs,
        claimsByCoverage: addCounts(row.claims, row.moved_plan_claims),
        // the replacement is handed over on the day it was bought (registered as purchased)
        replacementOf: original
          ? {
              purchaseDate: original.purchase_date,
              deliveryDate: original.delivery_date,
              registeredAt: original.registered_at,
              terms: original.warranty_terms,
              handedOverOn: unit.purchaseDate,
            }
          : null,
      };
      return { unit, facts };
    });
  }

  /**
   * The hot coverage query as a named prepared statement: PostgreSQL parses and plans it once per
   * connection instead of on every check. Inside a transaction it runs on the caller's manager.
   */
  private async prepared<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
    if (em !== this.db.manager) return em.query(text, values);
    const runner = this.db.createQueryRunner();
    try {
      const client = (await runner.connect()) as {
        query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: T[] }>;
      };
      this.db.logger.logQuery(text, values, runner);
      return (await client.query({ name, text, values })).rows;
    } finally {
      await runner.release();
    }
  }
}

interface LoadedUnit {
  unit: UnitEntity;
  facts: UnitCoverageFacts;
}

interface FactsRow {
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

function addCounts(own: Record<string, number>, moved: Record<string, number> | null): Record<string, number> {
  if (!moved) return own;
  const total = { ...own };
  for (const [key, n] of Object.entries(moved)) total[key] = (total[key] ?? 0) + n;
  return total;
}

function unitFromRow(r: FactsRow): UnitEntity {
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
