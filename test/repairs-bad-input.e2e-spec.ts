import { assertSuccess, createProduct, createTenant, gql, uniqueSerial, type Tenant } from './support/api.js';
import {
  bad400,
  G,
  itAcceptsTheBaselines,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type GqlRefusal,
  type OpSpec,
  type RestRefusal,
} from './support/bad-input-table.js';
import { longText, sqlQuery, tableCounts, utcDate } from './support/input-helpers.js';
import {
  APPROVE_TICKET,
  ASSIGN_TICKET,
  createTechnician,
  OPEN_TICKET,
  UPDATE_TICKET,
} from './support/repairs-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister } from './support/units-helpers.js';

/**
 * Malformed input to the repair-ticket operations, over GraphQL (variables) and REST (JSON
 * bodies): openRepairTicket (POST /repair-tickets), assignTechnician
 * (POST /repair-tickets/{id}:assignTechnician), updateRepairTicket (PATCH /repair-tickets/{id})
 * and approveRepairEstimate (POST /repair-tickets/{id}:approveEstimate). docs/rules.md, "Always": bad
 * input is a clear error naming the field, and nothing is stored; "Dates and money": amounts in
 * different currencies are never added (VALIDATION_ERROR); "Repairs": a ticket is opened at a
 * service center for one unit. README, "Errors": GraphQL answers extensions.code BAD_USER_INPUT
 * (or a GenericError union member), REST answers problem+json with `code` and `field` (400
 * invalid input, 422 refused by a rule); an unknown ticket or unit is NOT_FOUND (404).
 */

interface TicketRef {
  id: string;
  version: number;
}

interface Fixtures {
  maker: Tenant;
  seller: Tenant;
  center: Tenant;
  otherCenter: Tenant;
  /** A technician of the center, and one of the other center. */
  tech: { id: string };
  otherTech: { id: string };
  /** The unit an open case acts on: new for each case (op setup), sold by the seller, under warranty. */
  unit: { id: string; serialNumber: string };
  /** The ticket an assign, update or approve case acts on: new for each case (op setup). */
  ticket: TicketRef;
  newUnit: (purchaseDate?: string) => Promise<{ id: string; serialNumber: string }>;
  /** A ticket the seller opened at the center: RECEIVED, or DIAGNOSING with parts and labor priced (out of warranty: the customer pays). */
  newTicket: (priced?: boolean) => Promise<TicketRef>;
}

type OpName =
  | 'openRepairTicket'
  | 'openRepairTicket (center, by serial)'
  | 'assignTechnician'
  | 'updateRepairTicket'
  | 'updateRepairTicket (note only)'
  | 'approveRepairEstimate';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const SQL = "'; DROP TABLE repair_tickets; --";
/** 36 characters that the action routes' id pattern lets through, but no UUID. */
const NOT_A_UUID_36 = 'a'.repeat(36);
const PART = {
  partNumber: 'RLY-7',
  description: 'Compressor relay',
  quantity: 2,
  unitCost: { amount: '12.50', currency: 'USD' },
};

const withoutTicket =
  (action: string) =>
  ({ ticketId, ...body }: Record<string, any>) => ({ path: `/repair-tickets/${ticketId}${action}`, body });
const freshUnit = async (f: Fixtures): Promise<Fixtures> => ({ ...f, unit: await f.newUnit() });
const freshTicket =
  (priced: boolean) =>
  async (f: Fixtures): Promise<Fixtures> => ({ ...f, ticket: await f.newTicket(priced) });

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  openRepairTicket: {
    mutation: OPEN_TICKET,
    // a retailer opens a ticket for a unit it sold, at a service center
    key: (f) => f.seller.staff,
    valid: (f) => ({
      unitId: f.unit.id,
      serviceCenterId: f.center.id,
      reportedIssue: 'Not cooling',
      failureCategory: 'MECHANICAL',
    }),
    rest: (input) => ({ path: '/repair-tickets', body: input }),
    restStatus: 201,
    setup: freshUnit,
  },
  'openRepairTicket (center, by serial)': {
    mutation: OPEN_TICKET,
    // the center cannot see the unit before its ticket: it takes it in by serial number
    key: (f) => f.center.staff,
    valid: (f) => ({
      serialNumber: f.unit.serialNumber,
      manufacturerId: f.maker.id,
      serviceCenterId: f.center.id,
      reportedIssue: 'Not cooling',
      failureCategory: 'MECHANICAL',
    }),
    rest: (input) => ({ path: '/repair-tickets', body: input }),
    restStatus: 201,
    resultField: 'openRepairTicket',
    setup: freshUnit,
  },
  assignTechnician: {
    mutation: ASSIGN_TICKET,
    key: (f) => f.center.staff,
    valid: (f) => ({ ticketId: f.ticket.id, technicianId: f.tech.id, expectedVersion: f.ticket.version }),
    rest: withoutTicket(':assignTechnician'),
    restStatus: 200,
    setup: freshTicket(false),
  },
  updateRepairTicket: {
    mutation: UPDATE_TICKET,
    key: (f) => f.center.staff,
    valid: (f) => ({
      ticketId: f.ticket.id,
      expectedVersion: f.ticket.version,
      status: 'DIAGNOSING',
      diagnosis: 'Compressor relay failed',
      note: 'On the bench',
      addParts: [PART],
      addLaborMinutes: 30,
    }),
    rest: withoutTicket(''),
    restMethod: 'patch',
    restStatus: 200,
    setup: freshTicket(false),
  },
  'updateRepairTicket (note only)': {
    mutation: UPDATE_TICKET,
    key: (f) => f.center.staff,
    valid: (f) => ({ ticketId: f.ticket.id, expectedVersion: f.ticket.version, note: 'Called the customer' }),
    rest: withoutTicket(''),
    restMethod: 'patch',
    restStatus: 200,
    resultField: 'updateRepairTicket',
    setup: freshTicket(false),
  },
  approveRepairEstimate: {
    mutation: APPROVE_TICKET,
    // the organization that opened the ticket approves for the customer
    key: (f) => f.seller.staff,
    valid: (f) => ({ ticketId: f.ticket.id, expectedVersion: f.ticket.version }),
    rest: withoutTicket(':approveEstimate'),
    restStatus: 200,
    setup: freshTicket(true),
  },
};

/** A rule about the whole input (not one value's shape): a GenericError VALIDATION_ERROR member over GraphQL. */
const invalid = (field: string) => ({ result: 'VALIDATION_ERROR', field });
const notFound = (field: string): GqlRefusal => ({ error: 'NOT_FOUND', field });
const notFound404 = (field: string, errorCode?: string): RestRefusal => ({
  status: 404,
  code: 'NOT_FOUND',
  field,
  ...(errorCode ? { errorCode } : {}),
});

const makerId = (f: Fixtures) => f.maker.id;
const sellerId = (f: Fixtures) => f.seller.id;
const otherCenterId = (f: Fixtures) => f.otherCenter.id;
const otherTechId = (f: Fixtures) => f.otherTech.id;
const serialOfUnit = (f: Fixtures) => f.unit.serialNumber;
const euroPart = { ...PART, partNumber: 'FAN-2', unitCost: { amount: '8.00', currency: 'EUR' } };

const CASES: BadCase<OpName>[] = [
  // openRepairTicket, by unitId (the seller, for the center)
  G('openRepairTicket', 'unitId', 'not-a-uuid', refused('unitId')),
  G('openRepairTicket', 'unitId', SQL, refused('unitId'), 'a unitId made of SQL'),
  G('openRepairTicket', 'unitId', UNKNOWN_ID, notFound('unitId'), 'an unknown unitId'),
  G('openRepairTicket', 'serviceCenterId', 'nope', refused('serviceCenterId')),
  G('openRepairTicket', 'serviceCenterId', UNKNOWN_ID, invalid('serviceCenterId'), 'an unknown serviceCenterId'),
  G(
    'openRepairTicket',
    'serviceCenterId',
    makerId,
    invalid('serviceCenterId'),
    'serviceCenterId of a manufacturer (not a service center)',
  ),
  G(
    'openRepairTicket',
    'serviceCenterId',
    sellerId,
    invalid('serviceCenterId'),
    'serviceCenterId of a retailer (not a service center)',
  ),
  G(
    'openRepairTicket',
    'failureCategory',
    'EARTHQUAKE',
    mentioned('failureCategory'),
    'an unknown failureCategory "EARTHQUAKE"',
  ),
  G(
    'openRepairTicket',
    'failureCategory',
    'mechanical',
    mentioned('failureCategory'),
    'a lower-case failureCategory "mechanical"',
  ),
  G('openRepairTicket', 'reportedIssue', '', refused('reportedIssue'), 'an empty reportedIssue'),
  G('openRepairTicket', 'reportedIssue', '   ', refused('reportedIssue'), 'a blank reportedIssue'),
  G('openRepairTicket', 'reportedIssue', longText(5001), refused('reportedIssue')),
  G('openRepairTicket', 'reportedIssue', undefined, mentioned('reportedIssue'), 'no reportedIssue'),
  G('openRepairTicket', 'reportedIssue', 12345, mentioned('reportedIssue'), 'reportedIssue as a number'),
  G('openRepairTicket', 'serialNumber', serialOfUnit, invalid('unitId'), 'both unitId and serialNumber'),
  G('openRepairTicket', 'unitId', undefined, invalid('unitId'), 'neither unitId nor serialNumber'),
  G('openRepairTicket', 'unitId', null, invalid('unitId'), 'unitId null and no serialNumber'),
  G('openRepairTicket', 'priority', 'HIGH', mentioned('priority'), 'an unknown field "priority"'),
  R('openRepairTicket', 'unitId', 'not-a-uuid', bad400('unitId')),
  R('openRepairTicket', 'unitId', SQL, bad400('unitId'), 'a unitId made of SQL'),
  R('openRepairTicket', 'unitId', 12345, bad400('unitId'), 'unitId as a number'),
  R('openRepairTicket', 'unitId', UNKNOWN_ID, notFound404('unitId', 'UNIT_NOT_FOUND'), 'an unknown unitId'),
  R('openRepairTicket', 'serviceCenterId', 'nope', bad400('serviceCenterId')),
  R('openRepairTicket', 'serviceCenterId', UNKNOWN_ID, bad400('serviceCenterId'), 'an unknown serviceCenterId'),
  R(
    'openRepairTicket',
    'serviceCenterId',
    makerId,
    bad400('serviceCenterId'),
    'serviceCenterId of a manufacturer (not a service center)',
  ),
  R(
    'openRepairTicket',
    'serviceCenterId',
    sellerId,
    bad400('serviceCenterId'),
    'serviceCenterId of a retailer (not a service center)',
  ),
  R('openRepairTicket', 'serviceCenterId', undefined, bad400('serviceCenterId'), 'no serviceCenterId'),
  R(
    'openRepairTicket',
    'failureCategory',
    'EARTHQUAKE',
    bad400('failureCategory'),
    'an unknown failureCategory "EARTHQUAKE"',
  ),
  R(
    'openRepairTicket',
    'failureCategory',
    'mechanical',
    bad400('failureCategory'),
    'a lower-case failureCategory "mechanical"',
  ),
  R('openRepairTicket', 'failureCategory', undefined, bad400('failureCategory'), 'no failureCategory'),
  R('openRepairTicket', 'reportedIssue', '', bad400('reportedIssue'), 'an empty reportedIssue'),
  R('openRepairTicket', 'reportedIssue', '   ', bad400('reportedIssue'), 'a blank reportedIssue'),
  R('openRepairTicket', 'reportedIssue', longText(5001), bad400('reportedIssue')),
  R('openRepairTicket', 'reportedIssue', undefined, bad400('reportedIssue'), 'no reportedIssue'),
  R('openRepairTicket', 'reportedIssue', ['Not cooling'], bad400('reportedIssue'), 'reportedIssue as an array'),
  R('openRepairTicket', 'serialNumber', serialOfUnit, bad400('unitId'), 'both unitId and serialNumber'),
  R('openRepairTicket', 'unitId', undefined, bad400('unitId'), 'neither unitId nor serialNumber'),
  R('openRepairTicket', 'unitId', null, bad400('unitId'), 'unitId null and no serialNumber'),
  R('openRepairTicket', 'priority', 'HIGH', bad400('priority'), 'an unknown field "priority"'),

  // openRepairTicket, by serial number (the center, at its own center)
  G('openRepairTicket (center, by serial)', 'serialNumber', '   ', refused('serialNumber'), 'a blank serialNumber'),
  G('openRepairTicket (center, by serial)', 'serialNumber', longText(101), refused('serialNumber')),
  G(
    'openRepairTicket (center, by serial)',
    'serialNumber',
    'NO-SUCH-SERIAL-1',
    notFound('serialNumber'),
    'an unknown serialNumber',
  ),
  G('openRepairTicket (center, by serial)', 'manufacturerId', 'nope', refused('manufacturerId')),
  G(
    'openRepairTicket (center, by serial)',
    'serviceCenterId',
    otherCenterId,
    invalid('serviceCenterId'),
    'serviceCenterId of another center (a center opens at its own)',
  ),
  R('openRepairTicket (center, by serial)', 'serialNumber', '   ', bad400('serialNumber'), 'a blank serialNumber'),
  R('openRepairTicket (center, by serial)', 'serialNumber', longText(101), bad400('serialNumber')),
  R('openRepairTicket (center, by serial)', 'serialNumber', 12345, bad400('serialNumber'), 'serialNumber as a number'),
  R(
    'openRepairTicket (center, by serial)',
    'serialNumber',
    'NO-SUCH-SERIAL-1',
    notFound404('serialNumber', 'UNIT_NOT_FOUND'),
    'an unknown serialNumber',
  ),
  R('openRepairTicket (center, by serial)', 'manufacturerId', 'nope', bad400('manufacturerId')),
  R(
    'openRepairTicket (center, by serial)',
    'serviceCenterId',
    otherCenterId,
    bad400('serviceCenterId'),
    'serviceCenterId of another center (a center opens at its own)',
  ),

  // assignTechnician: the baseline assigns the center's technician to a RECEIVED ticket
  G('assignTechnician', 'ticketId', 'nope', refused('ticketId')),
  G('assignTechnician', 'ticketId', UNKNOWN_ID, notFound('ticketId'), 'an unknown ticketId'),
  G('assignTechnician', 'technicianId', 'nope', refused('technicianId')),
  G('assignTechnician', 'technicianId', UNKNOWN_ID, invalid('technicianId'), 'an unknown technicianId'),
  G('assignTechnician', 'technicianId', otherTechId, invalid('technicianId'), 'a technician of another center'),
  G('assignTechnician', 'expectedVersion', 0, refused('expectedVersion')),
  G('assignTechnician', 'expectedVersion', -1, refused('expectedVersion')),
  G('assignTechnician', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string "1"'),
  G('assignTechnician', 'expectedVersion', 1.5, mentioned('expectedVersion')),
  G('assignTechnician', 'expectedVersion', undefined, mentioned('expectedVersion'), 'no expectedVersion'),
  G('assignTechnician', 'shift', 'night', mentioned('shift'), 'an unknown field "shift"'),
  R('assignTechnician', 'ticketId', 'not-a-uuid', bad400('id'), 'a malformed ticket id in the path'),
  R(
    'assignTechnician',
    'ticketId',
    NOT_A_UUID_36,
    bad400('id'),
    'a ticket id in the path of 36 characters that is no UUID',
  ),
  R('assignTechnician', 'ticketId', UNKNOWN_ID, notFound404('ticketId'), 'an unknown ticket id in the path'),
  R('assignTechnician', 'technicianId', 'nope', bad400('technicianId')),
  R('assignTechnician', 'technicianId', UNKNOWN_ID, bad400('technicianId'), 'an unknown technicianId'),
  R('assignTechnician', 'technicianId', otherTechId, bad400('technicianId'), 'a technician of another center'),
  R('assignTechnician', 'technicianId', undefined, bad400('technicianId'), 'no technicianId'),
  R('assignTechnician', 'expectedVersion', 0, bad400('expectedVersion')),
  R('assignTechnician', 'expectedVersion', -1, bad400('expectedVersion')),
  R('assignTechnician', 'expectedVersion', '1', bad400('expectedVersion'), 'expectedVersion as a string "1"'),
  R('assignTechnician', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('assignTechnician', 'expectedVersion', undefined, bad400('expectedVersion'), 'no expectedVersion'),
  R('assignTechnician', 'shift', 'night', bad400('shift'), 'an unknown field "shift"'),

  // updateRepairTicket: the baseline moves a RECEIVED ticket to DIAGNOSING with a diagnosis, a part, labor and a note
  G('updateRepairTicket', 'ticketId', 'nope', refused('ticketId')),
  G('updateRepairTicket', 'ticketId', UNKNOWN_ID, notFound('ticketId'), 'an unknown ticketId'),
  G('updateRepairTicket', 'status', 'FIXED', mentioned('status'), 'an unknown status "FIXED"'),
  G('updateRepairTicket', 'status', 'diagnosing', mentioned('status'), 'a lower-case status "diagnosing"'),
  G('updateRepairTicket', 'addParts', [], refused('addParts'), 'an empty addParts list'),
  G('updateRepairTicket', 'addParts.0.quantity', 0, refused('addParts.0.quantity')),
  G('updateRepairTicket', 'addParts.0.quantity', -1, refused('addParts.0.quantity')),
  G('updateRepairTicket', 'addParts.0.quantity', 1.5, mentioned('quantity'), 'quantity as a JSON float 1.5'),
  G('updateRepairTicket', 'addParts.0.quantity', 10001, refused('addParts.0.quantity')),
  G('updateRepairTicket', 'addParts.0.quantity', '2', mentioned('quantity'), 'quantity as a string "2"'),
  G('updateRepairTicket', 'addParts.0.partNumber', '   ', refused('addParts.0.partNumber'), 'a blank partNumber'),
  G('updateRepairTicket', 'addParts.0.description', longText(501), refused('addParts.0.description')),
  G(
    'updateRepairTicket',
    'addParts.0.unitCost.amount',
    12.5,
    mentioned('amount'),
    'unitCost.amount as a JSON float 12.5',
  ),
  G('updateRepairTicket', 'addParts.0.unitCost.amount', '-1.00', refused('addParts.0.unitCost.amount')),
  G('updateRepairTicket', 'addParts.0.unitCost.amount', '12.5x', mentioned('amount'), 'unitCost.amount "12.5x"'),
  G('updateRepairTicket', 'addParts.0.unitCost.currency', 'XYZ', refused('addParts.0.unitCost.currency')),
  G('updateRepairTicket', 'addParts.0.unitCost.currency', 'usd', refused('addParts.0.unitCost.currency')),
  G(
    'updateRepairTicket',
    'addParts.0.unitCost.currency',
    'EUR',
    invalid('addParts.0.unitCost.currency'),
    'a part in EUR on a ticket priced in USD',
  ),
  G(
    'updateRepairTicket',
    'addParts.1',
    euroPart,
    invalid('addParts.1.unitCost.currency'),
    'a second part in EUR on a ticket priced in USD',
  ),
  G('updateRepairTicket', 'addLaborMinutes', 0, refused('addLaborMinutes')),
  G('updateRepairTicket', 'addLaborMinutes', -30, refused('addLaborMinutes')),
  G('updateRepairTicket', 'addLaborMinutes', 1.5, mentioned('addLaborMinutes'), 'addLaborMinutes as a JSON float 1.5'),
  G('updateRepairTicket', 'addLaborMinutes', '30', mentioned('addLaborMinutes'), 'addLaborMinutes as a string "30"'),
  G('updateRepairTicket', 'note', '', refused('note'), 'an empty note'),
  G('updateRepairTicket', 'note', '   ', refused('note'), 'a blank note'),
  G('updateRepairTicket', 'diagnosis', '   ', refused('diagnosis'), 'a blank diagnosis'),
  G('updateRepairTicket', 'diagnosis', longText(10001), refused('diagnosis')),
  G('updateRepairTicket', 'expectedVersion', 0, refused('expectedVersion')),
  G('updateRepairTicket', 'expectedVersion', 'two', mentioned('expectedVersion')),
  G('updateRepairTicket', 'priority', 'HIGH', mentioned('priority'), 'an unknown field "priority"'),
  G('updateRepairTicket', 'addParts.0.serial', 'X', mentioned('serial'), 'an unknown nested field "addParts.0.serial"'),
  R('updateRepairTicket', 'ticketId', 'not-a-uuid', bad400('id'), 'a malformed ticket id in the path'),
  R('updateRepairTicket', 'ticketId', UNKNOWN_ID, notFound404('ticketId'), 'an unknown ticket id in the path'),
  R('updateRepairTicket', 'status', 'FIXED', bad400('status'), 'an unknown status "FIXED"'),
  R('updateRepairTicket', 'status', 'diagnosing', bad400('status'), 'a lower-case status "diagnosing"'),
  R(
    'updateRepairTicket',
    'status',
    'READY',
    { status: 422, errorCode: 'INVALID_STATE_TRANSITION' },
    'status READY from RECEIVED (a rule refusal: 422)',
  ),
  R('updateRepairTicket', 'addParts', [], bad400('addParts'), 'an empty addParts list'),
  R('updateRepairTicket', 'addParts', PART, bad400('addParts'), 'addParts as an object instead of a list'),
  R('updateRepairTicket', 'addParts.0.quantity', 0, bad400('addParts.0.quantity')),
  R('updateRepairTicket', 'addParts.0.quantity', -1, bad400('addParts.0.quantity')),
  R('updateRepairTicket', 'addParts.0.quantity', 1.5, bad400('addParts.0.quantity'), 'quantity as a JSON float 1.5'),
  R('updateRepairTicket', 'addParts.0.quantity', 10001, bad400('addParts.0.quantity')),
  R('updateRepairTicket', 'addParts.0.quantity', '2', bad400('addParts.0.quantity'), 'quantity as a string "2"'),
  R('updateRepairTicket', 'addParts.0.partNumber', '   ', bad400('addParts.0.partNumber'), 'a blank partNumber'),
  R(
    'updateRepairTicket',
    'addParts.0.unitCost',
    '12.50 USD',
    bad400('addParts.0.unitCost'),
    'unitCost as a string instead of money',
  ),
  R(
    'updateRepairTicket',
    'addParts.0.unitCost.amount',
    12.5,
    bad400('addParts.0.unitCost.amount'),
    'unitCost.amount as a JSON float 12.5',
  ),
  R('updateRepairTicket', 'addParts.0.unitCost.amount', '-1.00', bad400('addParts.0.unitCost.amount')),
  R(
    'updateRepairTicket',
    'addParts.0.unitCost.amount',
    -1,
    bad400('addParts.0.unitCost.amount'),
    'a negative integer unitCost.amount -1',
  ),
  R('updateRepairTicket', 'addParts.0.unitCost.currency', 'XYZ', bad400('addParts.0.unitCost.currency')),
  R('updateRepairTicket', 'addParts.0.unitCost.currency', 'usd', bad400('addParts.0.unitCost.currency')),
  R(
    'updateRepairTicket',
    'addParts.0.unitCost.currency',
    'EUR',
    bad400('addParts.0.unitCost.currency'),
    'a part in EUR on a ticket priced in USD',
  ),
  R(
    'updateRepairTicket',
    'addParts.1',
    euroPart,
    bad400('addParts.1.unitCost.currency'),
    'a second part in EUR on a ticket priced in USD',
  ),
  R('updateRepairTicket', 'addLaborMinutes', 0, bad400('addLaborMinutes')),
  R('updateRepairTicket', 'addLaborMinutes', -30, bad400('addLaborMinutes')),
  R('updateRepairTicket', 'addLaborMinutes', 1.5, bad400('addLaborMinutes'), 'addLaborMinutes as a JSON float 1.5'),
  R('updateRepairTicket', 'addLaborMinutes', '30', bad400('addLaborMinutes'), 'addLaborMinutes as a string "30"'),
  R('updateRepairTicket', 'note', '', bad400('note'), 'an empty note'),
  R('updateRepairTicket', 'note', '   ', bad400('note'), 'a blank note'),
  R('updateRepairTicket', 'diagnosis', '   ', bad400('diagnosis'), 'a blank diagnosis'),
  R('updateRepairTicket', 'diagnosis', longText(10001), bad400('diagnosis')),
  R('updateRepairTicket', 'expectedVersion', 0, bad400('expectedVersion')),
  R('updateRepairTicket', 'expectedVersion', 'two', bad400('expectedVersion')),
  R('updateRepairTicket', 'expectedVersion', undefined, bad400('expectedVersion'), 'no expectedVersion'),
  R('updateRepairTicket', 'priority', 'HIGH', bad400('priority'), 'an unknown field "priority"'),
  R(
    'updateRepairTicket',
    'addParts.0.serial',
    'X',
    bad400('addParts.0.serial'),
    'an unknown nested field "addParts.0.serial"',
  ),

  // updateRepairTicket with only a note: without it there is nothing to change
  G(
    'updateRepairTicket (note only)',
    'note',
    undefined,
    invalid('status'),
    'nothing to change (no status, diagnosis, parts, labor or note)',
  ),
  G('updateRepairTicket (note only)', 'note', null, invalid('status'), 'nothing to change (note null)'),
  G('updateRepairTicket (note only)', 'note', '   ', refused('note'), 'a blank note and nothing else'),
  R(
    'updateRepairTicket (note only)',
    'note',
    undefined,
    bad400('status'),
    'nothing to change (no status, diagnosis, parts, labor or note)',
  ),
  R('updateRepairTicket (note only)', 'note', null, bad400('status'), 'nothing to change (note null)'),
  R('updateRepairTicket (note only)', 'note', '   ', bad400('note'), 'a blank note and nothing else'),

  // approveRepairEstimate: the baseline approves a priced, out-of-warranty estimate as the opener
  G('approveRepairEstimate', 'ticketId', 'nope', refused('ticketId')),
  G('approveRepairEstimate', 'ticketId', UNKNOWN_ID, notFound('ticketId'), 'an unknown ticketId'),
  G('approveRepairEstimate', 'expectedVersion', 0, refused('expectedVersion')),
  G('approveRepairEstimate', 'expectedVersion', -1, refused('expectedVersion')),
  G('approveRepairEstimate', 'expectedVersion', '2', mentioned('expectedVersion'), 'expectedVersion as a string "2"'),
  G('approveRepairEstimate', 'expectedVersion', 1.5, mentioned('expectedVersion')),
  G('approveRepairEstimate', 'expectedVersion', null, mentioned('expectedVersion'), 'expectedVersion null'),
  G('approveRepairEstimate', 'approvedBy', 'Ada', mentioned('approvedBy'), 'an unknown field "approvedBy"'),
  R('approveRepairEstimate', 'ticketId', 'not-a-uuid', bad400('id'), 'a malformed ticket id in the path'),
  R(
    'approveRepairEstimate',
    'ticketId',
    NOT_A_UUID_36,
    bad400('id'),
    'a ticket id in the path of 36 characters that is no UUID',
  ),
  R('approveRepairEstimate', 'ticketId', UNKNOWN_ID, notFound404('ticketId'), 'an unknown ticket id in the path'),
  R('approveRepairEstimate', 'expectedVersion', 0, bad400('expectedVersion')),
  R('approveRepairEstimate', 'expectedVersion', -1, bad400('expectedVersion')),
  R('approveRepairEstimate', 'expectedVersion', '2', bad400('expectedVersion'), 'expectedVersion as a string "2"'),
  R('approveRepairEstimate', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('approveRepairEstimate', 'expectedVersion', null, bad400('expectedVersion'), 'expectedVersion null'),
  R('approveRepairEstimate', 'expectedVersion', undefined, bad400('expectedVersion'), 'no expectedVersion'),
  R('approveRepairEstimate', 'approvedBy', 'Ada', bad400('approvedBy'), 'an unknown field "approvedBy"'),
];

/**
 * What a refused repair call must leave as it was: the written tables' row counts, the tickets
 * (count, Σ versions: any change bumps one, and their whole content), their history, the units'
 * repair visibility, the claims and the idempotency keys. The outbox is among the written tables.
 */
async function repairTableCounts(t: TestApp) {
  const [tickets] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions,
      md5(coalesce(string_agg(r::text, '|' ORDER BY r.id), '')) AS content FROM repair_tickets r`,
  );
  const [history] = await sqlQuery(t, `SELECT count(*)::int AS n FROM repair_ticket_history`);
  const [units] = await sqlQuery(
    t,
    `SELECT md5(coalesce(string_agg(u.id::text || ':' || u.repair_org_ids::text || ':' || u.version, '|' ORDER BY u.id), '')) AS visibility FROM units u`,
  );
  const [claims] = await sqlQuery(t, `SELECT count(*)::int AS n FROM warranty_claims`);
  const [keys] = await sqlQuery(t, `SELECT count(*)::int AS n FROM idempotency_keys`);
  return {
    ...(await tableCounts(t)),
    repair_tickets: tickets.n,
    repair_ticket_versions: tickets.versions,
    repair_ticket_content: tickets.content,
    repair_ticket_history: history.n,
    unit_repair_visibility: units.visibility,
    warranty_claims: claims.n,
    idempotency_keys: keys.n,
  };
}

describe('repair tickets bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const maker = await createTenant(t, 'MANUFACTURER');
    const seller = await createTenant(t, 'RETAILER');
    // createTenant gives a service center a labor rate of 90.00 USD: its tickets are priced in USD
    const center = await createTenant(t, 'SERVICE_CENTER');
    const otherCenter = await createTenant(t, 'SERVICE_CENTER');
    const tech = await createTechnician(t, center, 'Tess Tech');
    const otherTech = await createTechnician(t, otherCenter, 'Otto Other');
    const product = await createProduct(t, maker.staff, {
      warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
    });
    const newUnit = async (purchaseDate = utcDate(-60)) => {
      const unit = await mustRegister(t, seller.staff, {
        productId: product.id,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
      });
      return { id: unit.id as string, serialNumber: unit.serialNumber as string };
    };
    const newTicket = async (priced = false): Promise<TicketRef> => {
      // priced: out of warranty (bought ~30 months ago), so the customer pays and there is an estimate to approve
      const unit = await newUnit(priced ? utcDate(-900) : utcDate(-60));
      const opened = await gql(t, seller.staff, OPEN_TICKET, {
        input: {
          unitId: unit.id,
          serviceCenterId: center.id,
          reportedIssue: 'Not cooling',
          failureCategory: 'MECHANICAL',
        },
      });
      if (opened.errors) throw new Error(JSON.stringify(opened.errors));
      const ticket = assertSuccess(opened.data.openRepairTicket, 'RepairTicket');
      if (!priced) return { id: ticket.id, version: ticket.version };
      const diagnosed = await gql(t, center.staff, UPDATE_TICKET, {
        input: {
          ticketId: ticket.id,
          expectedVersion: ticket.version,
          status: 'DIAGNOSING',
          addParts: [PART],
          addLaborMinutes: 30,
        },
      });
      if (diagnosed.errors) throw new Error(JSON.stringify(diagnosed.errors));
      const priced_ = assertSuccess(diagnosed.data.updateRepairTicket, 'RepairTicket');
      if (priced_.estimate?.customerPays?.amount !== '70.00')
        throw new Error(`the priced ticket is not as expected: ${JSON.stringify(priced_.estimate)}`);
      return { id: priced_.id, version: priced_.version };
    };
    f = {
      maker,
      seller,
      center,
      otherCenter,
      tech: { id: tech.id },
      otherTech: { id: otherTech.id },
      unit: await newUnit(),
      ticket: { id: UNKNOWN_ID, version: 1 },
      newUnit,
      newTicket,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: repairTableCounts });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer, via) => {
    if (via === 'GraphQL') expect({ op, typename: answer.__typename }).toEqual({ op, typename: 'RepairTicket' });
  });
});
