import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { today } from '../common/dates/calendar-date.js';
import { DomainError } from '../common/errors/domain-error.js';
import { moneyOrNull } from '../common/money/money.types.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { canSeeUnit } from '../units/unit-visibility.js';
import { UnitEntity } from '../units/unit.entity.js';
import { toUnitView, type UnitView } from '../units/unit.views.js';
import { checkCoverage, unitNotFoundVerdict, type CoverageVerdict, type UnitCoverageFacts } from './coverage-engine.js';
import { MAX_COVERAGE_BATCH, type CoverageQueryInput } from './coverage.inputs.js';
import {
  findCoverageFacts,
  findReplacedUnits,
  unitOfFactsRow,
  type CoverageFactsKey,
  type CoverageFactsRow,
  type ReplacedUnitRow,
} from './coverage.queries.js';

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
  private async load(by: CoverageFactsKey, keys: string[], em: EntityManager = this.db.manager): Promise<LoadedUnit[]> {
    if (keys.length === 0) return [];
    const rows = await findCoverageFacts(em, by, keys);
    // an exchange for another reason than a defect links the units but carries no coverage over
    const originalIds = rows
      .filter((r) => r.carry_over)
      .map((r) => r.replacement_of_id)
      .filter((id): id is string => id !== null);
    const originalById = new Map((await findReplacedUnits(em, originalIds)).map((o) => [o.id, o]));
    return rows.map((row) => {
      const unit = unitOfFactsRow(row);
      const original = row.replacement_of_id && row.carry_over ? originalById.get(row.replacement_of_id) : undefined;
      return { unit, facts: coverageFactsOf(unit, row, original) };
    });
  }
}

interface LoadedUnit {
  unit: UnitEntity;
  facts: UnitCoverageFacts;
}

export function coverageFactsOf(
  unit: UnitEntity,
  row: CoverageFactsRow,
  original: ReplacedUnitRow | undefined,
): UnitCoverageFacts {
  return {
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
}

function addCounts(own: Record<string, number>, moved: Record<string, number> | null): Record<string, number> {
  if (!moved) return own;
  const total = { ...own };
  for (const [key, n] of Object.entries(moved)) total[key] = (total[key] ?? 0) + n;
  return total;
}
