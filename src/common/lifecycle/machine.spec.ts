import { REPAIR_TICKET_MACHINE } from '../../repairs/repair-ticket.machine.js';
import { RETURN_MACHINE } from '../../returns/return.machine.js';
import { UNIT_MACHINE } from '../../units/unit.machine.js';
import { UPGRADE_REQUEST_MACHINE } from '../../upgrades/upgrade-request.machine.js';
import { WARRANTY_CLAIM_MACHINE } from '../../warranty/warranty-claim.machine.js';
import { Machine, MachineDeclarationError, machineProblems, type MachineDeclaration } from './machine.js';

type Light = 'GREEN' | 'AMBER' | 'RED' | 'OFF';

/** A sound machine; each test breaks one rule of it. */
const sound = (): MachineDeclaration<Light, object> => ({
  name: 'TrafficLight',
  states: ['GREEN', 'AMBER', 'RED', 'OFF'],
  initial: 'GREEN',
  initialEvent: 'LightInstalled',
  finals: ['OFF'],
  transitions: [
    { from: ['GREEN'], to: 'AMBER', event: 'LightTurnedAmber' },
    { from: ['AMBER'], to: 'RED', event: 'LightTurnedRed' },
    { from: ['RED'], to: 'GREEN', event: 'LightTurnedGreen' },
    { from: ['GREEN', 'AMBER', 'RED'], to: 'OFF', event: 'LightSwitchedOff' },
  ],
});

const declaring = (declaration: MachineDeclaration<Light, object>) => () => Machine.declare(declaration);

describe('the start-up check of a machine declaration', () => {
  it.each([
    ['WarrantyClaim', WARRANTY_CLAIM_MACHINE],
    ['RepairTicket', REPAIR_TICKET_MACHINE],
    ['ReturnAuthorization', RETURN_MACHINE],
    ['UpgradeRequest', UPGRADE_REQUEST_MACHINE],
    ['Unit', UNIT_MACHINE],
  ])('passes for the real %s machine', (_name, machine) => {
    expect(machineProblems(machine.declaration as MachineDeclaration<string, unknown>)).toEqual([]);
  });

  it('passes for a sound declaration', () => {
    expect(machineProblems(sound())).toEqual([]);
    expect(declaring(sound())).not.toThrow();
  });

  it('refuses a state no transition reaches from the initial one, naming the machine and the state', () => {
    const broken = { ...sound(), transitions: sound().transitions.filter((t) => t.to !== 'RED') };
    expect(declaring(broken)).toThrow(MachineDeclarationError);
    expect(declaring(broken)).toThrow('State machine TrafficLight is broken: the state RED is unreachable from GREEN.');
  });

  it('refuses an exit from a final state', () => {
    const broken = {
      ...sound(),
      transitions: [
        ...sound().transitions,
        { from: ['OFF'] as Light[], to: 'GREEN' as const, event: 'LightSwitchedOn' },
      ],
    };
    expect(declaring(broken)).toThrow(
      'State machine TrafficLight is broken: the final state OFF has an exit to GREEN.',
    );
  });

  it('refuses a transition that names no event', () => {
    const broken = {
      ...sound(),
      transitions: [...sound().transitions.slice(1), { from: ['GREEN'] as Light[], to: 'AMBER' as const, event: ' ' }],
    };
    expect(declaring(broken)).toThrow(
      'State machine TrafficLight is broken: the transition GREEN -> AMBER names no event.',
    );
  });

  it('refuses a creation that names no event', () => {
    expect(declaring({ ...sound(), initialEvent: '' })).toThrow(
      'State machine TrafficLight is broken: the creation in GREEN names no event.',
    );
  });

  it('refuses a transition to an undeclared state', () => {
    const broken = {
      ...sound(),
      transitions: [
        ...sound().transitions,
        { from: ['RED'] as Light[], to: 'BLUE' as Light, event: 'LightTurnedBlue' },
      ],
    };
    expect(declaring(broken)).toThrow(
      'State machine TrafficLight is broken: the transition RED -> BLUE uses the undeclared state BLUE.',
    );
  });

  it('names every problem at once', () => {
    const broken = { ...sound(), finals: ['OFF', 'RED'] as Light[] };
    expect(machineProblems(broken)).toEqual([
      'the final state RED has an exit to GREEN',
      'the final state RED has an exit to OFF',
    ]);
  });
});

describe('what a machine answers', () => {
  const caller = {
    apiKeyId: 'k',
    organizationId: 'o',
    organizationKind: 'RETAILER',
    role: 'STAFF',
    technicianId: null,
  } as const;
  const light = Machine.declare<Light, { broken: boolean }>({
    ...sound(),
    name: 'GuardedLight',
    transitions: [
      ...sound().transitions.filter((t) => t.to !== 'AMBER'),
      {
        from: ['GREEN'],
        to: 'AMBER',
        event: 'LightTurnedAmber',
        guards: [(row) => (row.broken ? ({ errorCode: 'VALIDATION_ERROR', message: 'broken' } as never) : undefined)],
      },
      { from: ['AMBER'], to: 'GREEN', event: 'LightTurnedBack', automatic: true },
    ],
  });

  it('the table leaves automatic moves out; canMove follows the table', () => {
    expect(light.table().AMBER.sort()).toEqual(['OFF', 'RED']);
    expect(light.canMove('AMBER', 'GREEN')).toBe(false);
    expect(light.transition('AMBER', 'GREEN', true)?.event).toBe('LightTurnedBack');
  });

  it('nextStates leaves out the moves whose guards refuse the row', () => {
    expect(light.nextStates(caller, { broken: false }, 'GREEN').sort()).toEqual(['AMBER', 'OFF']);
    expect(light.nextStates(caller, { broken: true }, 'GREEN')).toEqual(['OFF']);
  });

  it("a refused move lists the table's moves from the state", () => {
    expect(light.invalidMove(caller, { broken: false }, 'RED', 'AMBER')).toMatchObject({
      fromState: 'RED',
      toState: 'AMBER',
      allowedStates: ['GREEN', 'OFF'],
    });
  });
});
