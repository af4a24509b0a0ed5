import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, In, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import { changeInTransaction, createInLifecycle, type Change } from '../common/lifecycle/lifecycle.js';
import { today, type CalendarDate } from '../common/dates/calendar-date.js';
import { forbidden, notFound } from '../common/errors/domain-error.js';
import {
  InvalidStateTransitionError,
  RollbackWithResult,
  validationError,
  type ErrorResult,
} from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { lockUnit } from '../units/unit-changes.js';
import { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import {
  applicableDeductible,
  approvalStatus,
  approvedAmount,
  isDuplicateSuspected,
  priceLines,
} from './claim-rules.js';
import type { ClaimStatus } from './claim-transitions.js';
import { WARRANTY_CLAIM_LIFECYCLE, type ClaimHistoryDetails } from './warranty-claim.lifecycle.js';
import { CLAIM_TRANSITIONS, WARRANTY_CLAIM_MACHINE } from './warranty-claim.machine.js';
import { ClaimHistoryEntity, WarrantyClaimEntity, type StoredClaimLine } from './claim.entity.js';
import type {
  AnswerClaimInfoRequestInput,
  CancelWarrantyClaimInput,
  ReviewWarrantyClaimInput,
  SubmitWarrantyClaimInput,
  WarrantyClaimFilter,
} from './claim.inputs.js';
import { toClaimView, type WarrantyClaimView } from './claim.views.js';
import { checkCoverage } from './coverage-engine.js';
import { CoverageService } from './coverage.service.js';

/** A claim to file: lines already priced in one currency. */
export interface NewClaim {
  failureCategory: FailureCategory;
  failureDate: CalendarDate;
  description: string;
  lines: StoredClaimLine[];
  currency: string;
  requestedTotal: string;
  repairTicketId: string | null;
  flags?: string[];
}

type ClaimChange = Change<ClaimStatus, WarrantyClaimEntity, ClaimHistoryDetails>;

/** Who sees a claim besides the platform: the manufacturer it is against and the organization that filed it. */
function claimAudience(claim: Pick<WarrantyClaimEntity, 'manufacturerId' | 'claimantId'>): string[] {
  return [claim.manufacturerId, claim.claimantId];
}

export function canSeeClaim(
  caller: Caller,
  claim: Pick<WarrantyClaimEntity, 'manufacturerId' | 'claimantId'>,
): boolean {
  return isPlatform(caller) || claimAudience(claim).includes(caller.organizationId);
}

/** Warranty claims (docs/rules.md): filed by service centers and retailers, decided by the manufacturer. */
@Injectable()
export class ClaimsService {
  constructor(
    private readonly db: DataSource,
    private readonly coverage: CoverageService,
    private readonly units: UnitsService,
  ) {}

  async submit(ctx: RequestContext, input: SubmitWarrantyClaimInput): Promise<WarrantyClaimView | ErrorResult> {
    // a unit outside the caller's view is NOT_FOUND whoever asks; then the kind and the key
    await this.units.visibleUnit(ctx.caller, input.unitId, 'unitId');
    assertKind(ctx.caller, ['SERVICE_CENTER', 'RETAILER'], 'file warranty claims');
    assertCanWork(ctx.caller);
    if (input.failureDate > today()) return validationError('failureDate', 'failureDate cannot be in the future.');
    const priced = priceLines(
      input.lines.map((l) => ({ ...l, unitAmount: { amount: l.unitAmount.amount, currency: l.unitAmount.currency } })),
    );
    if ('mixedCurrencyAt' in priced) {
      return validationError(
        `lines.${priced.mixedCurrencyAt}.unitAmount.currency`,
        'A claim is in one currency: amounts in different currencies are never added.',
      );
    }
    return inTransaction(this.db, async (em) => {
      await lockUnit(em, input.unitId);
      if (input.repairTicketId) {
        const [ticket] = await em.query(
          `SELECT unit_id, service_center_id, opened_by_id, manufacturer_id FROM repair_tickets WHERE id = $1`,
          [input.repairTicketId],
        );
        const visible =
          ticket &&
          (isPlatform(ctx.caller) ||
            [ticket.service_center_id, ticket.opened_by_id].includes(ctx.caller.organizationId));
        if (!visible)
          throw new RollbackWithResult(validationError('repairTicketId', 'No repair ticket of yours has this id.'));
        if (ticket.unit_id !== input.unitId)
          throw new RollbackWithResult(validationError('repairTicketId', 'The repair ticket is for another unit.'));
      }
      return this.file(em, ctx.caller, input.unitId, {
        failureCategory: input.failureCategory,
        failureDate: input.failureDate,
        description: input.description.trim(),
        ...priced,
        repairTicketId: input.repairTicketId ?? null,
      });
    });
  }

  /**
   * Files a claim in the caller's transaction, the unit locked by the caller (lockUnit): the
   * automatic checks (not covered: stored REJECTED with the reasons; duplicates flagged), the
   * history, the unit's history and the outbox event. Repairs file their claims through this too.
   */
  async file(em: EntityManager, caller: Caller, unitId: string, details: NewClaim): Promise<WarrantyClaimView> {
    const unit = await em.findOneByOrFail(UnitEntity, { id: unitId });
    const facts = await this.coverage.factsOf(unit.id, em);
    // a repair's claim is never covered by the repair warranty that repair itself starts
    const verdict = checkCoverage(
      { ...facts, repairs: facts.repairs.filter((r) => r.ticketId !== details.repairTicketId) },
      details.failureDate,
      details.failureCategory,
    );
    const earlier = await em.find(WarrantyClaimEntity, { where: { unitId: unit.id } });
    const flags: string[] = [...(details.flags ?? [])];
    if (!verdict.covered) flags.push('NOT_COVERED');
    if (isDuplicateSuspected(details, earlier)) flags.push('DUPLICATE_SUSPECTED');
    const [{ n }] = await em.query(`SELECT nextval('warranty_claim_number_seq')::int AS n`);
    const under = verdict.coverages[0] ?? null;
    const claim = em.create(WarrantyClaimEntity, {
      id: newId(),
      number: `WC-${String(n).padStart(6, '0')}`,
      unitId: unit.id,
      claimantId: caller.organizationId,
      manufacturerId: unit.manufacturerId,
      status: WARRANTY_CLAIM_MACHINE.declaration.initial,
      failureCategory: details.failureCategory,
      failureDate: details.failureDate,
      description: details.description,
      lines: details.lines,
      currency: details.currency,
      requestedTotal: details.requestedTotal,
      approvedTotal: null,
      coverage: under,
      coverageKey: under?.key ?? null,
      flags,
      repairTicketId: details.repairTicketId,
      submittedAt: new Date(),
      version: 1,
      updatedAt: new Date(),
    });
    const rejection = {
      reasonCode: 'NOT_COVERED',
      note: `Not covered on ${details.failureDate}: ${verdict.reasons.join(', ')}`,
      data: { reasons: verdict.reasons },
    };
    // not covered: kept, rejected at once, with the reasons in its history for the manufacturer's trail
    await createInLifecycle(
      em,
      caller,
      WARRANTY_CLAIM_LIFECYCLE,
      claim,
      [
        { from: null, to: 'SUBMITTED' },
        ...(verdict.covered ? [] : [{ from: 'SUBMITTED' as const, to: 'REJECTED' as const, details: rejection }]),
      ],
      {
        type: 'WarrantyClaimSubmitted',
        payload: {
          claimId: claim.id,
          unitId: unit.id,
          status: verdict.covered ? 'SUBMITTED' : 'REJECTED',
          flags,
          repairTicketId: details.repairTicketId,
        },
      },
    );
    // the unit's history is read by everyone who sees the unit: the claim is linked for those who see the claim only
    await recordUnitHistory(em, caller, [
      {
        unitId: unit.id,
        type: 'WARRANTY_CLAIM_SUBMITTED',
        summary: 'Warranty claim filed',
        references: [{ kind: 'WARRANTY_CLAIM', id: claim.id, label: claim.number, seenBy: claimAudience(claim) }],
      },
    ]);
    return this.load(em, claim.id);
  }

  async review(ctx: RequestContext, input: ReviewWarrantyClaimInput): Promise<WarrantyClaimView | ErrorResult> {
    const claim = await this.visibleClaim(ctx.caller, input.claimId, 'claimId');
    if (claim.manufacturerId !== ctx.caller.organizationId)
      throw forbidden('Only the manufacturer decides on a claim against it.');
    assertCanWork(ctx.caller);
    if (input.decision === 'REJECT' && !input.reasonCode)
      return validationError('reasonCode', 'A rejection needs a reasonCode.');
    if (input.approvedTotal && input.decision !== 'APPROVE')
      return validationError('approvedTotal', 'approvedTotal goes with APPROVE only.');
    if (input.approvedTotal) {
      if (input.approvedTotal.currency !== claim.currency)
        return validationError(
          'approvedTotal.currency',
          `The claim is in ${claim.currency}; amounts in different currencies are never added.`,
        );
      if (new Decimal(input.approvedTotal.amount).greaterThan(claim.requestedTotal))
        return validationError('approvedTotal.amount', 'The approved total cannot be above the requested total.');
    }
    return this.change(ctx.caller, claim.id, input.expectedVersion, (current) => {
      // the first review action puts a submitted claim in review
      const via: ClaimStatus[] = current.status === 'SUBMITTED' && input.decision !== 'MARK_PAID' ? ['IN_REVIEW'] : [];
      if (input.decision === 'APPROVE') {
        const approved = approvedAmount(
          current.requestedTotal,
          current.currency,
          input.approvedTotal?.amount ?? null,
          applicableDeductible(current),
        );
        return {
          via,
          to: approvalStatus(current.requestedTotal, approved),
          patch: { approvedTotal: approved },
          history: { note: input.note },
        };
      }
      const to: ClaimStatus =
        input.decision === 'REJECT' ? 'REJECTED' : input.decision === 'REQUEST_INFO' ? 'NEEDS_INFO' : 'PAID';
      return { via, to, history: { reasonCode: input.reasonCode, note: input.note } };
    });
  }

  async answerInfoRequest(
    ctx: RequestContext,
    input: AnswerClaimInfoRequestInput,
  ): Promise<WarrantyClaimView | ErrorResult> {
    const claim = await this.claimantsClaim(ctx.caller, input.claimId);
    // IN_REVIEW is reachable from SUBMITTED too, but only the manufacturer's first look moves it there
    return this.change(ctx.caller, claim.id, input.expectedVersion, (current) =>
      current.status === 'NEEDS_INFO'
        ? { to: 'IN_REVIEW', history: { note: input.note } }
        : unaskedAnswer(current.status),
    );
  }

  async cancel(ctx: RequestContext, input: CancelWarrantyClaimInput): Promise<WarrantyClaimView | ErrorResult> {
    const claim = await this.claimantsClaim(ctx.caller, input.claimId);
    return this.change(ctx.caller, claim.id, input.expectedVersion, () => ({
      to: 'CANCELLED',
      history: { note: input.note },
    }));
  }

  /** The claim when the caller may see it, else null: for fields that link to a claim. */
  async findVisible(caller: Caller, id: string): Promise<WarrantyClaimView | null> {
    const claim = await this.db.getRepository(WarrantyClaimEntity).findOneBy({ id });
    return claim && canSeeClaim(caller, claim) ? this.load(this.db.manager, id) : null;
  }

  async get(ctx: RequestContext, id: string): Promise<WarrantyClaimView> {
    await this.visibleClaim(ctx.caller, id, 'id');
    return this.load(this.db.manager, id);
  }

  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: WarrantyClaimFilter | null,
  ): Promise<Connection<WarrantyClaimView>> {
    const page = pageRequest(first, after);
    const query = this.db.getRepository(WarrantyClaimEntity).createQueryBuilder('c');
    if (ctx.caller.organizationKind === 'MANUFACTURER')
      query.where('c.manufacturer_id = :org', { org: ctx.caller.organizationId });
    else if (!isPlatform(ctx.caller)) query.where('c.claimant_id = :org', { org: ctx.caller.organizationId });
    if (filter?.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter?.unitId) query.andWhere('c.unit_id = :unitId', { unitId: filter.unitId });
    const count = await query.clone().getCount();
    if (page.afterId) query.andWhere('c.id > :afterId', { afterId: page.afterId });
    const rows = await query
      .orderBy('c.id', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    const history = rows.length
      ? await this.db
          .getRepository(ClaimHistoryEntity)
          .find({ where: { claimId: In(rows.map((r) => r.id)) }, order: { id: 'ASC' } })
      : [];
    return toConnection(
      rows.map((r) =>
        toClaimView(
          r,
          history.filter((h) => h.claimId === r.id),
        ),
      ),
      page,
      count,
    );
  }

  /** One guarded change through the claim's lifecycle (warranty-claim.machine.ts). */
  private change(
    caller: Caller,
    claimId: string,
    expectedVersion: number,
    decide: (current: WarrantyClaimEntity) => ClaimChange | ErrorResult,
  ): Promise<WarrantyClaimView | ErrorResult> {
    return changeInTransaction(
      this.db,
      WARRANTY_CLAIM_LIFECYCLE,
      { caller, id: claimId, expectedVersion, decide },
      (em, claim) => this.load(em, claim.id),
    );
  }

  private async visibleClaim(caller: Caller, id: string, field: string): Promise<WarrantyClaimEntity> {
    const claim = await this.db.getRepository(WarrantyClaimEntity).findOneBy({ id });
    if (!claim || !canSeeClaim(caller, claim)) throw notFound('Warranty claim', undefined, field);
    return claim;
  }

  private async claimantsClaim(caller: Caller, id: string): Promise<WarrantyClaimEntity> {
    const claim = await this.visibleClaim(caller, id, 'claimId');
    if (claim.claimantId !== caller.organizationId)
      throw forbidden('Only the organization that filed the claim answers or cancels it.');
    assertCanWork(caller);
    return claim;
  }

  private async load(em: EntityManager, id: string): Promise<WarrantyClaimView> {
    const claim = await em.findOneByOrFail(WarrantyClaimEntity, { id });
    const history = await em.find(ClaimHistoryEntity, { where: { claimId: id }, order: { id: 'ASC' } });
    return toClaimView(claim, history);
  }
}

function unaskedAnswer(status: ClaimStatus): InvalidStateTransitionError {
  return new InvalidStateTransitionError(
    status,
    'IN_REVIEW',
    [...CLAIM_TRANSITIONS[status]],
    `Only a claim in NEEDS_INFO can be answered; this one is ${status}.`,
  );
}
