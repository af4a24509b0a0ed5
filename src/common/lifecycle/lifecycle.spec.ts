import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import {
  GenericError,
  InvalidStateTransitionError,
  RollbackWithResult,
  VersionConflictError,
} from '../errors/error-results.js';
import { applyChange, createInLifecycle, type Lifecycle, type Step } from './lifecycle.js';
import { Machine } from './machine.js';

type Door = 'OPEN' | 'CLOSED' | 'LOCKED' | 'GONE';
interface DoorRow {
  id: string;
  status: Door;
  version: number;
  key: string | null;
}

const owner: Caller = {
  apiKeyId: 'k1',
  organizationId: 'owner',
  organizationKind: 'RETAILER',
  role: 'STAFF',
  technicianId: null,
};
const stranger: Caller = { ...owner, organizationId: 'stranger' };

const DOOR = Machine.declare<Door, DoorRow>({
  name: 'Door',
  states: ['OPEN', 'CLOSED', 'LOCKED', 'GONE'],
  initial: 'OPEN',
  initialEvent: 'DoorBuilt',
  finals: ['GONE'],
  transitions: [
    { from: ['OPEN'], to: 'CLOSED', event: 'DoorClosed' },
    { from: ['CLOSED'], to: 'OPEN', event: 'DoorOpened' },
    {
      from: ['CLOSED'],
      to: 'LOCKED',
      event: 'DoorLocked',
      may: (caller) => caller.organizationId === 'owner',
      guards: [
        (row) =>
          row.key ? undefined : new GenericError(ErrorCode.VALIDATION_ERROR, 'A door is locked with a key.', 'key'),
      ],
    },
    { from: ['LOCKED'], to: 'CLOSED', event: 'DoorUnlocked' },
    { from: ['OPEN', 'CLOSED', 'LOCKED'], to: 'GONE', event: 'DoorRemoved', automatic: true },
  ],
});

/** An entity manager that keeps one door and records what is written. */
function fakeDb(door: DoorRow) {
  const written: {
    history: Step<Door, string>[];
    updates: Partial<DoorRow>[];
    events: unknown[][];
    inserts: unknown[];
  } = { history: [], updates: [], events: [], inserts: [] };
  const em = {
    async query(sql: string, params: unknown[]) {
      if (sql.startsWith('UPDATE door')) {
        const expected = params[1] as number | null;
        if (expected !== null && expected !== door.version) return [[], 0];
        door.version += 1;
        return [[{ version: door.version }], 1];
      }
      if (sql.startsWith('SELECT version')) return [{ version: door.version }];
      // one row of five values per event
      if (sql.startsWith('INSERT INTO outbox_events'))
        for (let i = 0; i < params.length; i += 5) written.events.push(params.slice(i, i + 5));
      return [];
    },
    async findOneByOrFail() {
      return { ...door };
    },
    async update(_entity: unknown, _where: unknown, patch: Partial<DoorRow>) {
      written.updates.push(patch);
      Object.assign(door, patch);
    },
    async insert(_entity: unknown, row: unknown) {
      written.inserts.push(row);
    },
  } as unknown as EntityManager;
  const lifecycle: Lifecycle<Door, DoorRow, string> = {
    machine: DOOR,
    table: 'door' as never,
    entity: 'Door',
    async writeHistory(_em, _caller, _row, steps) {
      written.history.push(...steps);
    },
    payload: (row, from, to) => ({ id: row.id, from, to }),
  };
  return { em, lifecycle, written };
}

/** A decide that counts its calls. */
function counted<T>(result: T) {
  const decide = () => {
    decide.calls += 1;
    return result;
  };
  decide.calls = 0;
  return decide;
}

const refusalOf = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RollbackWithResult);
  return (error as RollbackWithResult).result;
};

describe('applyChange: one guarded change', () => {
  it("writes the move with the version bump, one history row and the transition's event, and returns the row as written", async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    const row = await applyChange(em, lifecycle, {
      caller: owner,
      id: 'd1',
      expectedVersion: 1,
      decide: () => ({ to: 'CLOSED', history: 'shut' }),
    });
    expect(row).toMatchObject({ status: 'CLOSED', version: 2 });
    expect(written.history).toEqual([{ from: 'OPEN', to: 'CLOSED', details: 'shut' }]);
    expect(written.events).toEqual([
      ['DoorClosed', 'Door', 'd1', 'owner', JSON.stringify({ id: 'd1', from: 'OPEN', to: 'CLOSED' })],
    ]);
  });

  it('a stale version is VERSION_CONFLICT with the current version, and nothing is decided', async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 3, key: null });
    const decide = counted({ to: 'CLOSED' as const, history: '' });
    expect(
      await refusalOf(applyChange(em, lifecycle, { caller: owner, id: 'd1', expectedVersion: 2, decide })),
    ).toEqual(new VersionConflictError(3));
    expect(decide.calls).toBe(0);
    expect(written.updates).toEqual([]);
  });

  it('a move the table does not have is refused naming the allowed states, before anything is written', async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    const refusal = await refusalOf(
      applyChange(em, lifecycle, { caller: owner, id: 'd1', decide: () => ({ to: 'LOCKED', history: '' }) }),
    );
    expect(refusal).toMatchObject({ fromState: 'OPEN', toState: 'LOCKED', allowedStates: ['CLOSED'] });
    expect(written).toMatchObject({ updates: [], history: [], events: [] });
  });

  it('the aim is checked before decide runs', async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    const decide = counted({ to: 'OPEN' as const, history: '' });
    expect(
      await refusalOf(applyChange(em, lifecycle, { caller: owner, id: 'd1', aim: 'OPEN', decide })),
    ).toBeInstanceOf(InvalidStateTransitionError);
    expect(decide.calls).toBe(0);
  });

  it('a guard refuses on the changed row: the patch that brings the key lets the door lock', async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'CLOSED', version: 1, key: null });
    expect(
      await refusalOf(
        applyChange(em, lifecycle, { caller: owner, id: 'd1', decide: () => ({ to: 'LOCKED', history: '' }) }),
      ),
    ).toMatchObject({ field: 'key' });
    const locked = await applyChange(em, lifecycle, {
      caller: owner,
      id: 'd1',
      decide: () => ({ to: 'LOCKED', patch: { key: 'k' }, history: '' }),
    });
    expect(locked).toMatchObject({ status: 'LOCKED', key: 'k' });
  });

  it('a caller the transition does not name is FORBIDDEN', async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'CLOSED', version: 1, key: 'k' });
    const error = await applyChange(em, lifecycle, {
      caller: stranger,
      id: 'd1',
      decide: () => ({ to: 'LOCKED', history: '' }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
  });

  it('passes through `via` states with a history row each; the details and the event belong to the last step', async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: 'k' });
    await applyChange(em, lifecycle, {
      caller: owner,
      id: 'd1',
      decide: () => ({ via: ['CLOSED'], to: 'LOCKED', history: 'locked up' }),
    });
    expect(written.history).toEqual([
      { from: 'OPEN', to: 'CLOSED', details: undefined },
      { from: 'CLOSED', to: 'LOCKED', details: 'locked up' },
    ]);
    expect(written.events.map((e) => e[0])).toEqual(['DoorLocked']);
  });

  it("automatic moves are taken only when the change says it is the application's", async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    expect(
      await refusalOf(
        applyChange(em, lifecycle, { caller: owner, id: 'd1', decide: () => ({ to: 'GONE', history: '' }) }),
      ),
    ).toBeInstanceOf(InvalidStateTransitionError);
    expect(
      await applyChange(em, lifecycle, {
        caller: null,
        id: 'd1',
        decide: () => ({ to: 'GONE', history: '', automatic: true }),
      }),
    ).toMatchObject({ status: 'GONE' });
  });

  it('a change that keeps the state records its own event, and is refused on a final state', async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    await applyChange(em, lifecycle, {
      caller: owner,
      id: 'd1',
      decide: () => ({ to: 'OPEN', patch: { key: 'k' }, event: 'DoorKeyCut', history: 'key cut' }),
    });
    expect(written.events.map((e) => e[0])).toEqual(['DoorKeyCut']);
    const gone = fakeDb({ id: 'd2', status: 'GONE', version: 1, key: null });
    expect(
      await refusalOf(
        applyChange(gone.em, gone.lifecycle, {
          caller: owner,
          id: 'd2',
          decide: () => ({ to: 'GONE', event: 'DoorKeyCut', history: '' }),
        }),
      ),
    ).toMatchObject({ fromState: 'GONE', allowedStates: [] });
  });

  it('a refusal from decide or apply rolls back with that result', async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    const nope = new GenericError(ErrorCode.VALIDATION_ERROR, 'no', 'x');
    expect(await refusalOf(applyChange(em, lifecycle, { caller: owner, id: 'd1', decide: () => nope }))).toBe(nope);
    expect(
      await refusalOf(
        applyChange(em, lifecycle, {
          caller: owner,
          id: 'd1',
          decide: () => ({ to: 'CLOSED', history: '', apply: async () => nope }),
        }),
      ),
    ).toBe(nope);
  });
});

describe('createInLifecycle', () => {
  it("inserts the row in its last step's state, a history row per step and an event per step", async () => {
    const { em, lifecycle, written } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    await createInLifecycle(em, owner, lifecycle, { id: 'd9', status: 'OPEN', version: 1, key: null }, [
      { from: null, to: 'OPEN' },
      { from: 'OPEN', to: 'GONE', details: 'at once' },
    ]);
    expect(written.inserts).toEqual([{ id: 'd9', status: 'GONE', version: 1, key: null }]);
    expect(written.history).toHaveLength(2);
    expect(written.events.map((e) => e[0])).toEqual(['DoorBuilt', 'DoorRemoved']);
  });

  it('refuses to start anywhere but the initial state', async () => {
    const { em, lifecycle } = fakeDb({ id: 'd1', status: 'OPEN', version: 1, key: null });
    await expect(
      createInLifecycle(em, owner, lifecycle, { id: 'd9', status: 'CLOSED', version: 1, key: null }, [
        { from: null, to: 'CLOSED' },
      ]),
    ).rejects.toThrow('Door starts in OPEN, not CLOSED.');
  });
});
