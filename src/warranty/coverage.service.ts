import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { today } from '../common/dates/calendar-date.js';
import { DomainError } from '../common/errors/domain-error.js';
import { moneyOrNull } from '../common/money/money.types.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import type { WarrantyTerms } from '../products/warranty-terms.js';
import { canSeeUnit } from '../units/unit-visibility.js';
import { UnitEntity } from '../units/unit.entity.js';
import { toUnitView, type UnitView } from '../units/unit.views.js';
import { checkCoverage, unitNotFoundVerdict, type AttachedPlanFacts, type CoverageVerdict, type UnitCoverageFacts } from './coverage-engine.js';
import { MAX_COVERAGE_BATCH, type CoverageQueryInput } from './coverage.inputs.js';

/** The answer to one coverage query; `unit` only for callers who may see the unit. */
export interface CoverageCheckView extends CoverageVerdict {
  serialNumber: string;
  unit: UnitView | null;
}

interface UnitWithTerms {
  unit: UnitEntity;
  terms: WarrantyTerms;
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

  async checkMany(ctx: RequestContext, queries: CoverageQueryInput[], fieldPrefix = 'queries'): Promise<CoverageCheckView[]> {
    if (queries.length > MAX_COVERAGE_BATCH) {
      throw new DomainError('BAD_USER_INPUT', `queries takes at most ${MAX_COVERAGE_BATCH} checks; got ${queries.length}.`, { field: 'queries', errorCode: 'VALIDATION_ERROR' });
    }
    const fieldOf = (i: number, name: string) => (fieldPrefix ? `${fieldPrefix}.${i}.${name}` : name);
    const normalized = queries.map((q, i) => {
      const serialNumber = q.serialNumber?.trim() ?? '';
      if (!serialNumber || serialNumber.length > 100) throw new DomainError('BAD_USER_INPUT', 'serialNumber must be 1 to 100 characters.', { field: fieldOf(i, 'serialNumber'), errorCode: 'VALIDATION_ERROR' });
      const manufacturerId = q.manufacturerId ?? (ctx.caller.organizationKind === 'MANUFACTURER' ? ctx.caller.organizationId : null);
      return { serialNumber, manufacturerId, asOf: q.asOf ?? today(), failure: q.failureCategory ?? null };
    });
    const units = await this.unitsBySerial([...new Set(normalized.map((q) => q.serialNumber))]);
    const chosen = normalized.map((q, i) => {
      const matches = (units.get(q.serialNumber) ?? []).filter((u) => !q.manufacturerId || u.unit.manufacturerId === q.manufacturerId);
      if (matches.length > 1) {
        throw new DomainError('BAD_USER_INPUT', `Several manufacturers use serial number "${q.serialNumber}": give manufacturerId.`, { field: fieldOf(i, 'manufacturerId'), errorCode: 'VALIDATION_ERROR' });
      }
      return matches[0] ?? null;
    });
    const facts = await this.coverageFacts(chosen.filter((c): c is UnitWithTerms => c !== null));
    return normalized.map((q, i) => {
      const found = chosen[i];
      if (!found) return { serialNumber: q.serialNumber, unit: null, ...unitNotFoundVerdict(q.asOf) };
      const verdict = checkCoverage(facts.get(found.unit.id)!, q.asOf, q.failure);
      return { serialNumber: q.serialNumber, unit: this.visibleUnit(ctx.caller, found.unit), ...verdict };
    });
  }

  private visibleUnit(caller: Caller, unit: UnitEntity): UnitView | null {
    return canSeeUnit(caller, unit) ? toUnitView(unit) : null;
  }

  /** Query 1: the units with these serials (any manufacturer) and their products' terms. */
  private async unitsBySerial(serials: string[]): Promise<Map<string, UnitWithTerms[]>> {
    const bySerial = new Map<string, UnitWithTerms[]>();
    if (serials.length === 0) return bySerial;
    const units = await this.db.getRepository(UnitEntity).find({ where: { serialNumber: In(serials) } });
    const terms = await this.termsOf(units);
    for (const unit of units) {
      const list = bySerial.get(unit.serialNumber) ?? [];
      list.push({ unit, terms: terms.get(unit.productId)! });
      bySerial.set(unit.serialNumber, list);
    }
    return bySerial;
  }

  private async termsOf(units: { productId: string }[], em: EntityManager = this.db.manager): Promise<Map<string, WarrantyTerms>> {
    const ids = [...new Set(units.map((u) => u.productId))];
    if (ids.length === 0) return new Map();
    const rows: { id: string; warranty_terms: WarrantyTerms }[] = await em.query(`SELECT id, warranty_terms FROM products WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.warranty_terms]));
  }

  /**
   * Queries 2-5: attached plans, claims counted per coverage, and the replaced units (with their
   * terms) for the carry-over. Runs in the caller's transaction when given one.
   */
  async coverageFacts(units: UnitWithTerms[], em: EntityManager = this.db.manager): Promise<Map<string, UnitCoverageFacts>> {
    const facts = new Map<string, UnitCoverageFacts>();
    if (units.length === 0) return facts;
    const ids = units.map((u) => u.unit.id);
    const claimRows: { unit_id: string; coverage_key: string; count: number }[] = await em.query(
      `SELECT unit_id, coverage_key, count(*)::int AS count FROM warranty_claims
        WHERE unit_id = ANY($1::uuid[]) AND coverage_key IS NOT NULL AND status NOT IN ('REJECTED', 'CANCELLED')
        GROUP BY unit_id, coverage_key`,
      [ids],
    );
    const planRows: {
      unit_id: string; service_plan_id: string; starts_at: string; ends_at: string; name: string; coverage_types: string[];
      excluded_failures: string[]; max_claims: number | null; deductible_amount: string | null; deductible_currency: string | null;
    }[] = await em.query(
      `SELECT usp.unit_id, usp.service_plan_id, usp.starts_at, usp.ends_at, sp.name, sp.coverage_types, sp.excluded_failures,
              sp.max_claims, sp.deductible_amount, sp.deductible_currency
         FROM unit_service_plans usp JOIN service_plans sp ON sp.id = usp.service_plan_id
        WHERE usp.unit_id = ANY($1::uuid[]) ORDER BY usp.id`,
      [ids],
    );
    const originalIds = units.map((u) => u.unit.replacementOfId).filter((id): id is string => id !== null);
    const originals = originalIds.length ? await em.find(UnitEntity, { where: { id: In(originalIds) } }) : [];
    const originalTerms = await this.termsOf(originals, em);
    const originalById = new Map(originals.map((o) => [o.id, o]));
    for (const { unit, terms } of units) {
      const plans: AttachedPlanFacts[] = planRows.filter((r) => r.unit_id === unit.id).map((r) => ({
        servicePlanId: r.service_plan_id,
        name: r.name,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        coverageTypes: r.coverage_types as AttachedPlanFacts['coverageTypes'],
        excludedFailures: r.excluded_failures as AttachedPlanFacts['excludedFailures'],
        maxClaims: r.max_claims,
        deductible: moneyOrNull(r.deductible_amount, r.deductible_currency),
      }));
      const original = unit.replacementOfId ? originalById.get(unit.replacementOfId) : undefined;
      facts.set(unit.id, {
        status: unit.status,
        purchaseDate: unit.purchaseDate,
        deliveryDate: unit.deliveryDate,
        registeredAt: unit.registeredAt,
        terms,
        plans,
        // repair tickets arrive with the repairs module
        repairs: [],
        claimsByCoverage: Object.fromEntries(claimRows.filter((r) => r.unit_id === unit.id).map((r) => [r.coverage_key, r.count])),
        // the replacement is handed over on the day it was bought (registered as purchased)
        replacementOf: original ? { ...original, terms: originalTerms.get(original.productId)!, handedOverOn: unit.purchaseDate } : null,
      });
    }
    return facts;
  }
}
