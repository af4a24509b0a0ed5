import type { Caller } from '../auth/caller.js';
import { InvalidStateTransitionError, type ErrorResult } from '../errors/error-results.js';

/** A refusal a transition's row must pass (e.g. "estimate not approved"), evaluated without writing. */
export type Guard<S extends string, R> = (row: R, to: S) => ErrorResult | undefined;

export interface TransitionDeclaration<S extends string, R> {
  from: readonly S[];
  to: S;
  /** The outbox event a change ending with this transition records. */
  event: string;
  /** Who may take it: a predicate on the caller and the row. Absent: whoever may act on the row at all. */
  may?: (caller: Caller, row: R) => boolean;
  guards?: readonly Guard<S, R>[];
  /** Taken by the application itself (filing, a job), never asked for by a caller: not in the table callers see. */
  automatic?: boolean;
}

/** An aggregate's state machine, as data: declared once in `<module>/<aggregate>.machine.ts`. */
export interface MachineDeclaration<S extends string, R> {
  /** The aggregate's name, in messages and outbox rows. */
  name: string;
  states: readonly S[];
  initial: S;
  /** The outbox event of a creation in the initial state. */
  initialEvent: string;
  finals: readonly S[];
  transitions: readonly TransitionDeclaration<S, R>[];
  /** A refused move lists the caller's next states (who may + guards) rather than every move of the table. */
  refusalListsCallersMoves?: boolean;
}

/** A declaration that breaks the rules of a machine: the application does not start with it. */
export class MachineDeclarationError extends Error {
  constructor(machine: string, problems: string[]) {
    super(`State machine ${machine} is broken: ${problems.join('; ')}.`);
    this.name = 'MachineDeclarationError';
  }
}

/** Names the declaration gives that it does not declare: the initial state, the final states, the initial event. */
function declarationProblems<S extends string, R>({ states, initial, initialEvent, finals }: MachineDeclaration<S, R>) {
  const declared = new Set<string>(states);
  const problems: string[] = [];
  if (!declared.has(initial)) problems.push(`the initial state ${initial} is not declared`);
  if (!initialEvent?.trim()) problems.push(`the creation in ${initial} names no event`);
  for (const final of finals) if (!declared.has(final)) problems.push(`the final state ${final} is not declared`);
  return problems;
}

/** A transition without an event, to or from an undeclared state, or out of a final state. */
function transitionProblems<S extends string, R>({ states, finals, transitions }: MachineDeclaration<S, R>) {
  const declared = new Set<string>(states);
  const problems: string[] = [];
  for (const t of transitions) {
    const name = `${t.from.join('|')} -> ${t.to}`;
    if (!t.event?.trim()) problems.push(`the transition ${name} names no event`);
    for (const state of [...t.from, t.to])
      if (!declared.has(state)) problems.push(`the transition ${name} uses the undeclared state ${state}`);
    for (const from of t.from)
      if (finals.includes(from)) problems.push(`the final state ${from} has an exit to ${t.to}`);
  }
  return problems;
}

/** The states no sequence of transitions reaches from the initial one. */
function unreachableProblems<S extends string, R>({ states, initial, transitions }: MachineDeclaration<S, R>) {
  const reached = new Set<string>([initial]);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of transitions) {
      if (reached.has(t.to) || !t.from.some((f) => reached.has(f))) continue;
      reached.add(t.to);
      grew = true;
    }
  }
  return states
    .filter((state) => !reached.has(state))
    .map((state) => `the state ${state} is unreachable from ${initial}`);
}

/** What is wrong with a declaration: unreachable states, exits from final states, transitions without an event or to undeclared states. */
export function machineProblems<S extends string, R>(declaration: MachineDeclaration<S, R>): string[] {
  return [...declarationProblems(declaration), ...transitionProblems(declaration), ...unreachableProblems(declaration)];
}

/** A checked machine: the declaration, and the questions services, views and the lifecycle ask of it. */
export class Machine<S extends string, R> {
  private constructor(readonly declaration: MachineDeclaration<S, R>) {}

  /** Checks the declaration when its module loads, so a broken machine stops the application's start. */
  static declare<S extends string, R>(declaration: MachineDeclaration<S, R>): Machine<S, R> {
    const problems = machineProblems(declaration);
    if (problems.length) throw new MachineDeclarationError(declaration.name, problems);
    return new Machine(declaration);
  }

  get name(): string {
    return this.declaration.name;
  }

  /** The callers' table: from each state, the states a caller may ask for (automatic moves left out). */
  table(): Record<S, S[]> {
    const table = Object.fromEntries(this.declaration.states.map((s) => [s, [] as S[]])) as Record<S, S[]>;
    for (const t of this.declaration.transitions) {
      if (t.automatic) continue;
      for (const from of t.from) if (!table[from].includes(t.to)) table[from].push(t.to);
    }
    return table;
  }

  canMove(from: S, to: S): boolean {
    return this.table()[from].includes(to);
  }

  isFinal(state: S): boolean {
    return this.declaration.finals.includes(state);
  }

  /** The transition from `from` to `to`, automatic ones included when the application takes them itself. */
  transition(from: S, to: S, automatic = false): TransitionDeclaration<S, R> | undefined {
    return this.declaration.transitions.find(
      (t) => t.from.includes(from) && t.to === to && (automatic || !t.automatic),
    );
  }

  /** The moves open to this caller now: the table's, those the caller may take, whose guards pass on the row. */
  nextStates(caller: Caller, row: R, from: S): S[] {
    return this.table()[from].filter((to) => {
      const t = this.transition(from, to)!;
      return (t.may?.(caller, row) ?? true) && !(t.guards ?? []).some((guard) => guard(row, to));
    });
  }

  /** The refusal of a move not in the table, listing what is allowed instead. */
  invalidMove(caller: Caller | null, row: R, from: S, to: S, message?: string): InvalidStateTransitionError {
    const allowed =
      this.declaration.refusalListsCallersMoves && caller ? this.nextStates(caller, row, from) : this.table()[from];
    return new InvalidStateTransitionError(from, to, [...allowed], message);
  }
}
