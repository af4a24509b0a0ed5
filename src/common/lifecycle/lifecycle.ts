import type { DataSource, EntityManager, EntityTarget } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { forbidden } from '../errors/domain-error.js';
import { newId } from '../ids.js';
import { ErrorResult, InvalidStateTransitionError, RollbackWithResult } from '../errors/error-results.js';
import { recordEvents } from './outbox.js';
import { inTransaction } from './transaction.js';
import type { Machine } from './machine.js';
import { bumpVersion, type VersionedTable } from './version-guard.js';

/** A row with a lifecycle: its id and its state. */
export interface StatefulRow<S extends string> {
  id: string;
  status: S;
}

/** One step of a change, as its history row records it: `details` are the aggregate's own (note, reason...). */
export interface Step<S extends string, H> {
  from: S | null;
  to: S;
  details?: H;
}

/**
 * How one aggregate goes through the lifecycle: its machine, its table, and how its history rows
 * and outbox payloads look (each aggregate has its own history table and shape).
 */
export interface Lifecycle<S extends string, R extends StatefulRow<S>, H> {
  machine: Machine<S, R>;
  table: VersionedTable;
  entity: EntityTarget<R>;
  writeHistory(em: EntityManager, caller: Caller | null, row: R, steps: Step<S, H>[]): Promise<void>;
  /** The outbox event's payload; `patch` is what the change wrote on the row (none at creation). */
  payload(row: R, from: S | null, to: S, patch: Partial<R>): Record<string, unknown>;
  /** What a move does to other rows, whoever asked for it (a finished repair frees the owner's contact). */
  afterMove?(em: EntityManager, caller: Caller | null, row: R, from: S, to: S): Promise<void>;
}

/**
 * A history writer for an aggregate whose history is a table of its own: the columns every such
 * table shares (id, the move, when) and the aggregate's own, from `columns`.
 */
export function historyTable<S extends string, R, H>(
  entity: EntityTarget<object>,
  columns: (row: R, caller: Caller | null, details: H | undefined) => object,
): (em: EntityManager, caller: Caller | null, row: R, steps: Step<S, H>[]) => Promise<void> {
  return async (em, caller, row, steps) => {
    const at = new Date();
    await em.insert(
      entity,
      steps.map(({ from, to, details }) => ({
        id: newId(),
        fromStatus: from,
        toStatus: to,
        at,
        ...columns(row, caller, details),
      })) as never,
    );
  };
}

/** A change decided on the locked current row. */
export interface Change<S extends string, R, H> {
  to: S;
  /** States passed through first (a claim's first review action puts it IN_REVIEW on the way). */
  via?: S[];
  patch?: Partial<R>;
  /** The event of a change that keeps the state; a move records its transition's event. */
  event?: string;
  /** The details of the history row of the last step. */
  history: H;
  /** Writes to other rows once the row is written; may return more of the row to write, or a refusal that rolls back. */
  apply?: (em: EntityManager, row: R) => Promise<Partial<R> | void | ErrorResult>;
  /** Taken by the application itself (a job), so automatic transitions are allowed. */
  automatic?: boolean;
}

export interface ChangeRequest<S extends string, R, H> {
  caller: Caller | null;
  id: string;
  /** The version the caller read; the change is refused with VERSION_CONFLICT when the row has moved on. */
  expectedVersion?: number | null;
  /** The move the operation is for, checked before `decide` runs (a partial inspection keeps the state, yet is an inspection). */
  aim?: S;
  /** Decides the change on the locked row; it may read, and write other rows (a return's lines): a refusal rolls them back. */
  decide: (current: R, em: EntityManager) => Change<S, R, H> | ErrorResult | Promise<Change<S, R, H> | ErrorResult>;
}

/**
 * One guarded change, in the caller's transaction: the row locked by its version bump, the
 * move checked against the machine (who may take it, its guards on the changed row), the row
 * written, one history row per step, the outbox event. A refusal rolls the transaction back
 * (RollbackWithResult). Returns the row as written.
 */
export async function applyChange<S extends string, R extends StatefulRow<S>, H>(
  em: EntityManager,
  lifecycle: Lifecycle<S, R, H>,
  request: ChangeRequest<S, R, H>,
): Promise<R> {
  const { machine } = lifecycle;
  const { caller, id } = request;
  await bumpVersion(em, lifecycle.table, id, request.expectedVersion);
  const current = await em.findOneByOrFail(lifecycle.entity, { id } as never);
  if (request.aim && !machine.canMove(current.status, request.aim))
    refuse(machine.invalidMove(caller, current, current.status, request.aim));
  const change = await request.decide(current, em);
  if (change instanceof ErrorResult) refuse(change);
  const steps = stepsOf(current.status, change);
  const changed = { ...current, ...change.patch, status: change.to } as R;
  const event = checkSteps(lifecycle.machine, caller, current, changed, steps, change);
  await em.update(lifecycle.entity, { id } as never, { ...change.patch, status: change.to } as never);
  const more = change.apply ? await change.apply(em, changed) : undefined;
  if (more instanceof ErrorResult) refuse(more);
  if (more) await em.update(lifecycle.entity, { id } as never, more as never);
  const written = { ...changed, ...more } as R;
  if (change.to !== current.status) await lifecycle.afterMove?.(em, caller, written, current.status, change.to);
  await lifecycle.writeHistory(em, caller, written, steps);
  await recordEvents(em, caller, [
    {
      type: event,
      aggregateType: machine.name,
      aggregateId: id,
      payload: lifecycle.payload(written, current.status, change.to, { ...change.patch, ...more } as Partial<R>),
    },
  ]);
  return em.findOneByOrFail(lifecycle.entity, { id } as never);
}

/** applyChange in a transaction of its own, answering the fresh view or the refusal. */
export function changeInTransaction<S extends string, R extends StatefulRow<S>, H, V>(
  db: DataSource,
  lifecycle: Lifecycle<S, R, H>,
  request: ChangeRequest<S, R, H>,
  view: (em: EntityManager, row: R) => Promise<V> | V,
): Promise<V | ErrorResult> {
  return inTransaction(db, async (em) => view(em, await applyChange(em, lifecycle, request)));
}

/**
 * A new row in the machine's initial state (then any automatic moves, e.g. a claim rejected at
 * filing), with its history and outbox events: one per step, or the one given.
 */
export async function createInLifecycle<S extends string, R extends StatefulRow<S>, H>(
  em: EntityManager,
  caller: Caller | null,
  lifecycle: Lifecycle<S, R, H>,
  row: R,
  steps: Step<S, H>[],
  event?: { type: string; payload: Record<string, unknown> },
): Promise<void> {
  const { machine } = lifecycle;
  const [first, ...moves] = steps;
  if (first.from !== null || first.to !== machine.declaration.initial)
    throw new Error(`${machine.name} starts in ${machine.declaration.initial}, not ${first.to}.`);
  const events = [{ type: machine.declaration.initialEvent, from: null as S | null, to: first.to }];
  for (const step of moves) {
    const t = step.from && machine.transition(step.from, step.to, true);
    if (!t) throw new Error(`${machine.name} has no transition ${step.from} -> ${step.to}.`);
    events.push({ type: t.event, from: step.from, to: step.to });
  }
  const last = steps[steps.length - 1].to;
  await em.insert(lifecycle.entity, { ...row, status: last } as never);
  const inserted = { ...row, status: last };
  await lifecycle.writeHistory(em, caller, inserted, steps);
  const outbox = event
    ? [event]
    : events.map((e) => ({ type: e.type, payload: lifecycle.payload(inserted, e.from, e.to, {}) }));
  await recordEvents(
    em,
    caller,
    outbox.map((e) => ({ ...e, aggregateType: machine.name, aggregateId: row.id })),
  );
}

function stepsOf<S extends string, R, H>(from: S, change: Change<S, R, H>): Step<S, H>[] {
  const path = [from, ...(change.via ?? []), change.to];
  if (path.length === 2 && from === change.to) return [{ from, to: from, details: change.history }];
  return path
    .slice(1)
    .map((to, i) => ({ from: path[i], to, details: i === path.length - 2 ? change.history : undefined }));
}

/** Checks every step against the machine; returns the event the change records. */
function checkSteps<S extends string, R extends StatefulRow<S>, H>(
  machine: Machine<S, R>,
  caller: Caller | null,
  current: R,
  changed: R,
  steps: Step<S, H>[],
  change: Change<S, R, H>,
): string {
  const [only] = steps;
  if (steps.length === 1 && only.from === only.to) {
    if (machine.isFinal(only.to))
      refuse(
        new InvalidStateTransitionError(
          only.to,
          only.to,
          [],
          `The ${machine.name} is ${only.to}: it does not change any more.`,
        ),
      );
    if (!change.event) throw new Error(`A change that keeps ${machine.name} in ${only.to} names its event.`);
    return change.event;
  }
  let event = '';
  for (const step of steps) {
    const t = machine.transition(step.from!, step.to, change.automatic);
    if (!t) refuse(machine.invalidMove(caller, changed, current.status, step.to));
    if (caller && t.may && !t.may(caller, current))
      throw forbidden(`This API key may not move the ${machine.name} to ${step.to}.`);
    for (const guard of t.guards ?? []) {
      const refusal = guard(changed, step.to);
      if (refusal) refuse(refusal);
    }
    event = t.event;
  }
  return event;
}

function refuse(result: ErrorResult): never {
  throw new RollbackWithResult(result);
}
