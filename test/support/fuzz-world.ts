import { createProduct, createTenant, gql, registerUnit, uniqueSerial, type Tenant } from './api.js';
import { createTechnician } from './repairs-client.js';
import { createPolicy } from './returns-client.js';
import { createProgram } from './upgrades-client.js';
import { PLATFORM_KEY, type TestApp } from './test-app.js';
import { utcDate } from './input-helpers.js';
import { createEndpoint, SEND_TEST } from './webhooks-client.js';
import type { FuzzContext } from './fuzz-values.js';

/**
 * The fuzzer's world: one organization of each kind with keys that have rights, and a record of
 * every kind (product, plan, unit, ticket, claim, return, upgrade program and request, webhook
 * endpoint and delivery), so that generated ids often name something real and inputs get past
 * authorization into validation.
 */

/** A webhook URL the fuzz app allows over plain http (WEBHOOK_ALLOW_HOSTS): nothing listens there, an attempt fails at once. */
export const FUZZ_WEBHOOK_URL = 'http://127.0.0.1:9/hook';
export interface FuzzWorld {
  callers: string[];
  context: FuzzContext;
}

/** The id a mutation answered, or nothing when it refused (a fixture the world can do without). */
const idOf = (value: unknown): string[] => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? [id] : [];
};

export async function buildFuzzWorld(t: TestApp): Promise<FuzzWorld> {
  const maker: Tenant = await createTenant(t, 'MANUFACTURER');
  const retailer: Tenant = await createTenant(t, 'RETAILER');
  const center: Tenant = await createTenant(t, 'SERVICE_CENTER');
  const product = await createProduct(t, maker.staff);
  const serial = uniqueSerial();
  const unit = await registerUnit(t, retailer.staff, {
    sku: product.sku,
    manufacturerId: maker.id,
    serialNumber: serial,
    purchaseDate: utcDate(-20),
    customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  const plan = await gql(
    t,
    maker.staff,
    `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) { id } }`,
    {
      input: {
        name: 'Care+',
        durationMonths: 12,
        startsAfterBaseWarranty: true,
        coverageTypes: ['PARTS', 'LABOR'],
        eligibleCategories: [product.category],
        purchaseWindowDays: 365,
        price: { amount: '99.00', currency: 'USD' },
      },
    },
  );
  const technician = await createTechnician(t, center);
  const ticket = await gql(
    t,
    center.staff,
    `mutation($input: OpenRepairTicketInput!) { openRepairTicket(input: $input) { ... on RepairTicket { id } } }`,
    {
      input: {
        serialNumber: serial,
        manufacturerId: maker.id,
        serviceCenterId: center.id,
        reportedIssue: 'Does not cool',
        failureCategory: 'MECHANICAL',
      },
    },
  );
  const claim = await gql(
    t,
    retailer.staff,
    `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) { ... on WarrantyClaim { id } } }`,
    {
      input: {
        unitId: unit.id,
        failureCategory: 'MECHANICAL',
        failureDate: utcDate(-1),
        description: 'Compressor',
        lines: [
          { kind: 'PART', description: 'Compressor', quantity: '1', unitAmount: { amount: '120.00', currency: 'USD' } },
        ],
      },
    },
  );
  const policy = await createPolicy(t, retailer).catch(() => null);
  const returned = await gql(
    t,
    retailer.staff,
    `mutation($input: RequestReturnInput!) { requestReturn(input: $input) { ... on ReturnAuthorization { id lines { id } } } }`,
    {
      input: {
        lines: [{ unitId: unit.id, reason: 'CHANGED_MIND', condition: 'UNOPENED', requestedResolution: 'REFUND' }],
      },
    },
  );
  const program = await createProgram(t, maker, [product.id]).catch(() => null);
  const upgrade = program
    ? await gql(
        t,
        retailer.staff,
        `mutation($input: RequestUpgradeInput!) { requestUpgrade(input: $input) { ... on UpgradeRequest { id } } }`,
        {
          input: { unitId: unit.id, programId: program.id, targetProductId: product.id },
        },
      )
    : null;
  const keys = await gql(t, maker.admin, '{ me { id } }').catch(() => null);
  const endpoint = await createEndpoint(t, retailer.admin, FUZZ_WEBHOOK_URL);
  const delivery = await gql(t, retailer.staff, SEND_TEST, { endpointId: endpoint.endpoint.id });
  const ids = [
    maker.id,
    retailer.id,
    center.id,
    product.id,
    unit.id,
    technician.id,
    ...idOf(plan.data?.createServicePlan),
    ...idOf(ticket.data?.openRepairTicket),
    ...idOf(claim.data?.submitWarrantyClaim),
    ...idOf(policy),
    ...idOf(returned.data?.requestReturn),
    ...(returned.data?.requestReturn?.lines ?? []).flatMap(idOf),
    ...idOf(program),
    ...idOf(upgrade?.data?.requestUpgrade),
    ...idOf(keys?.data?.me),
    endpoint.endpoint.id,
    ...idOf(delivery.data?.sendTestWebhook),
  ];
  return {
    callers: [
      maker.staff,
      maker.admin,
      retailer.staff,
      retailer.admin,
      center.staff,
      center.admin,
      technician.key,
      PLATFORM_KEY,
    ],
    context: {
      ids,
      hints: {
        sku: [product.sku],
        serialNumber: [serial],
        newSerialNumber: [uniqueSerial()],
        replacementSerialNumber: [uniqueSerial()],
        currency: ['USD', 'EUR', 'JPY'],
        category: [product.category],
        categories: [product.category],
        eligibleCategories: [product.category],
        email: ['ada@example.com'],
        phone: ['+44 20 7946 0000'],
        grade: ['A', 'B'],
        name: ['Ada Lovelace', 'Northwind'],
        after: ['YXJyYXljb25uZWN0aW9uOjA='],
        url: [FUZZ_WEBHOOK_URL, 'https://hooks.example.com/aftercare'],
        eventTypes: ['unit.registered', 'repair_ticket.status_changed'],
        eventType: ['webhook.test', 'unit.registered'],
      },
    },
  };
}
