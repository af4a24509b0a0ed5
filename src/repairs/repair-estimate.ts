import { Decimal } from 'decimal.js';
import { money, type Money } from '../common/money/money.js';
import type { CoverageType } from '../products/warranty-terms.js';
import type { RepairTicketEntity } from './repair-ticket.entity.js';

export interface EstimatePart {
  quantity: number;
  unitCost: string;
}

export interface EstimateCoverage {
  coverageTypes: readonly CoverageType[];
  deductible: Money | null;
}

export interface RepairEstimateFacts {
  currency: string;
  parts: EstimatePart[];
  laborMinutes: number;
  /** The service center's hourly rate, in `currency`; null when it has none. */
  laborRate: string | null;
  /** The coverage in force at intake for the reported failure; null when not covered. */
  coverage: EstimateCoverage | null;
}

export interface RepairEstimateAmounts {
  parts: Money;
  labor: Money;
  total: Money;
  /** What the warranty or plan pays: parts under PARTS, labor under LABOR, less the deductible. */
  covered: Money;
  /** The rest: uncovered work and the deductible. */
  customerPays: Money;
  /** The deductible actually taken off the covered amount (never more than the covered work). */
  deductibleApplied: Money;
}

/**
 * docs/rules.md, "Repairs": parts Σ quantity × unit cost, plus labor minutes × hourly rate / 60.
 * Each part of the sum is rounded to the currency's minor unit before adding, so the figures add
 * up exactly as shown. A deductible in another currency than the repair is not subtracted: amounts
 * in different currencies are never combined.
 */
export function estimateRepair(facts: RepairEstimateFacts): RepairEstimateAmounts {
  const { currency } = facts;
  const parts = facts.parts.reduce(
    (sum, p) => sum.plus(money(new Decimal(p.unitCost).times(p.quantity), currency).amount),
    new Decimal(0),
  );
  const labor = new Decimal(
    money(new Decimal(facts.laborRate ?? 0).times(facts.laborMinutes).dividedBy(60), currency).amount,
  );
  const total = parts.plus(labor);
  const types = facts.coverage?.coverageTypes ?? [];
  const coveredWork = (types.includes('PARTS') ? parts : new Decimal(0)).plus(types.includes('LABOR') ? labor : 0);
  const deductible =
    facts.coverage?.deductible?.currency === currency ? new Decimal(facts.coverage.deductible.amount) : new Decimal(0);
  const deductibleApplied = Decimal.min(deductible, coveredWork);
  const covered = coveredWork.minus(deductibleApplied);
  return {
    parts: money(parts, currency),
    labor: money(labor, currency),
    total: money(total, currency),
    covered: money(covered, currency),
    customerPays: money(total.minus(covered), currency),
    deductibleApplied: money(deductibleApplied, currency),
  };
}

/** The ticket's estimate, or null while nothing is priced (no parts, no labor). */
export function ticketEstimate(ticket: RepairTicketEntity): RepairEstimateAmounts | null {
  if (!ticket.currency || (ticket.parts.length === 0 && ticket.laborMinutes === 0)) return null;
  const coverage = ticket.coverageAtIntake.covered ? (ticket.coverageAtIntake.coverages[0] ?? null) : null;
  return estimateRepair({
    currency: ticket.currency,
    parts: ticket.parts,
    laborMinutes: ticket.laborMinutes,
    laborRate: ticket.laborRateAmount,
    coverage,
  });
}

/** Whether the customer's approval covers what they would pay now (more to pay needs a new approval). */
export function estimateApproved(ticket: RepairTicketEntity, estimate: RepairEstimateAmounts | null): boolean {
  if (!estimate || ticket.estimateApprovedAmount === null) return false;
  return new Decimal(ticket.estimateApprovedAmount).greaterThanOrEqualTo(estimate.customerPays.amount);
}

/** Work the customer pays for needs their approval first (docs/rules.md). */
export function needsApproval(ticket: RepairTicketEntity, estimate: RepairEstimateAmounts | null): boolean {
  return (
    estimate !== null && new Decimal(estimate.customerPays.amount).greaterThan(0) && !estimateApproved(ticket, estimate)
  );
}
