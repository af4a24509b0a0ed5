import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import { today, type CalendarDate } from '../common/dates/calendar-date.js';
import { forbidden, notFound } from '../common/errors/domain-error.js';
import {
  InvalidStateTransitionError,
  RollbackWithResult,
  validationError,
  type ErrorResult,
} from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { changeInTransaction, createInLifecycle, type Change, type Step } from '../common/lifecycle/lifecycle.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { lockUnit } from '../units/unit-changes.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import {
  applicableDeductible,
  approvalStatus,
  approvedAmount,
  isDuplicateSuspected,
  priceLines,
} from './claim-rules.js';
import { canSeeClaim, claimReference } from './claim-visibility.js';
import { WarrantyClaimEntity, type StoredClaimLine } from './claim.entity.js';
import type {
  AnswerClaimInfoRequestInput,
  CancelWarrantyClaimInput,
  ReviewWarrantyClaimInput,
  SubmitWarrantyClaimInput,
  WarrantyClaimFilter,
} from './claim.inputs.js';
import { toClaimView, type WarrantyClaimView } from './claim.views.js';
import { checkCoverage, type CoverageVerdict } from './coverage-engine.js';
import { CoverageService } from './coverage.service.js';
import { WARRANTY_CLAIM_LIFECYCLE, type ClaimHistoryDetails } from './warranty-claim.lifecycle.js';
import { CLAIM_TRANSITIONS, WARRANTY_CLAIM_MACHINE, type ClaimStatus } from './warranty-claim.machine.js';
import {
  findClaim,
  findClaimedUnit,
  findClaimsOfUnit,
  findClaimWithHistory,
  findRepairTicketParties,
  listClaims,
  nextClaimNumber,
} from './warranty-claim.queries.js';

/** A claim to file: lines already priced in one currency. */
interface NewClaim {
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
      if (input.repairTicketId) await assertClaimableTicket(em, ctx.caller, input.unitId, input.repairTicketId);
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
    const unit = await findClaimedUnit(em, unitId);
    const facts = await this.coverage.factsOf(unit.id, em);
    // a repair's claim is never covered by the repair warranty that repair itself starts
    const verdict = checkCoverage(
      { ...facts, repairs: facts.repairs.filter((r) => r.ticketId !== details.repairTicketId) },
      details.failureDate,
      details.failureCategory,
    );
    const flags = filingFlags(details, verdict, await findClaimsOfUnit(em, unit.id));
    const claim = em.create(WarrantyClaimEntity, {
      ...newClaimRow(details, verdict),
      id: newId(),
      number: `WC-${String(await nextClaimNumber(em)).padStart(6, '0')}`,
      unitId: unit.id,
      claimantId: caller.organizationId,
      manufacturerId: unit.manufacturerId,
      flags,
    });
    await createInLifecycle(em, caller, WARRANTY_CLAIM_LIFECYCLE, claim, filingSteps(details, verdict), {
      type: 'WarrantyClaimSubmitted',
      payload: {
        claimId: claim.id,
        unitId: unit.id,
        status: verdict.covered ? 'SUBMITTED' : 'REJECTED',
        flags,
        repairTicketId: details.repairTicketId,
      },
    });
    // the unit's history is read by everyone who sees the unit: the claim is linked for those who see the claim only
    await recordUnitHistory(em, caller, [
      {
        unitId: unit.id,
        type: 'WARRANTY_CLAIM_SUBMITTED',
        summary: 'Warranty claim filed',
        references: [claimReference(claim)],
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
    const claim = await findClaim(this.db.manager, id);
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
    const { claims, history, totalCount } = await listClaims(this.db.manager, ctx.caller, page, filter);
    return toConnection(
      claims.map((c) =>
        toClaimView(
          c,
          history.filter((h) => h.claimId === c.id),
        ),
      ),
      page,
      totalCount,
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
    const claim = await findClaim(this.db.manager, id);
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
    const { claim, history } = await findClaimWithHistory(em, id);
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

/** A claim may name a repair ticket of the caller's (its center, or the organization that opened it) for the same unit. */
async function assertClaimableTicket(
  em: EntityManager,
  caller: Caller,
  unitId: string,
  ticketId: string,
): Promise<void> {
  const ticket = await findRepairTicketParties(em, ticketId);
  const visible =
    ticket && (isPlatform(caller) || [ticket.serviceCenterId, ticket.openedById].includes(caller.organizationId));
  if (!visible)
    throw new RollbackWithResult(validationError('repairTicketId', 'No repair ticket of yours has this id.'));
  if (ticket.unitId !== unitId)
    throw new RollbackWithResult(validationError('repairTicketId', 'The repair ticket is for another unit.'));
}

/** The automatic checks at filing (docs/rules.md): NOT_COVERED, DUPLICATE_SUSPECTED, after the filer's own flags. */
function filingFlags(details: NewClaim, verdict: CoverageVerdict, earlier: WarrantyClaimEntity[]): string[] {
  const flags: string[] = [...(details.flags ?? [])];
  if (!verdict.covered) flags.push('NOT_COVERED');
  if (isDuplicateSuspected(details, earlier)) flags.push('DUPLICATE_SUSPECTED');
  return flags;
}

/** A new claim's own facts: what was filed, under the first coverage in force, if any. */
function newClaimRow(details: NewClaim, verdict: CoverageVerdict): Partial<WarrantyClaimEntity> {
  const under = verdict.coverages[0] ?? null;
  return {
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
    repairTicketId: details.repairTicketId,
    submittedAt: new Date(),
    version: 1,
    updatedAt: new Date(),
  };
}

/** Not covered: kept, rejected at once, with the reasons in its history for the manufacturer's trail. */
function filingSteps(details: NewClaim, verdict: CoverageVerdict): Step<ClaimStatus, ClaimHistoryDetails>[] {
  if (verdict.covered) return [{ from: null, to: 'SUBMITTED' }];
  const rejection: ClaimHistoryDetails = {
    reasonCode: 'NOT_COVERED',
    note: `Not covered on ${details.failureDate}: ${verdict.reasons.join(', ')}`,
    data: { reasons: verdict.reasons },
  };
  return [
    { from: null, to: 'SUBMITTED' },
    { from: 'SUBMITTED', to: 'REJECTED', details: rejection },
  ];
}
