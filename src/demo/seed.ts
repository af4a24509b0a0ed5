/**
 * `npm run seed:demo`: a small, realistic data set so a newcomer sees the API answer at once:
 * a manufacturer with five products, two retailers, a service center with technicians, service
 * plans and a few hundred units, some with plans, return policies for both stores, upgrade
 * programs (the maker's and a store's), and repair tickets at the bench (one just in, one being
 * repaired, one closed with its warranty claim). Prints each organization's id, kind and keys, and
 * serial numbers to try. Run it while the server is stopped when using the embedded database (one
 * process at a time).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../app.setup.js';
import type { Caller } from '../common/auth/caller.js';
import { addDays, today } from '../common/dates/calendar-date.js';
import { ErrorResult } from '../common/errors/error-results.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { ProductView } from '../products/product.views.js';
import { ProductsService } from '../products/products.service.js';
import type { RepairTicketView } from '../repairs/repair.views.js';
import { RepairsService } from '../repairs/repairs.service.js';
import { ReturnsService } from '../returns/returns.service.js';
import { UpgradesService } from '../upgrades/upgrades.service.js';
import { UnitsService } from '../units/units.service.js';
import { JourneysService } from '../outreach/journeys.service.js';

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
];

/** A deterministic pseudo-random sequence: the demo is the same on every machine. */
function sequence(seed: number) {
  let state = seed;
  return (max: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    // the high bits: an LCG's low bits repeat in short cycles (names and consent came out in step)
    return Math.floor((state / 2147483648) * max);
  };
}

function callerFor(organizationId: string, kind: Caller['organizationKind'], apiKeyId: string): RequestContext {
  return {
    caller: { apiKeyId, organizationId, organizationKind: kind, role: 'ADMIN', technicianId: null },
    correlationId: 'seed-demo',
  };
}

function unwrap<T>(result: T | ErrorResult): T {
  if (result instanceof ErrorResult) throw new Error(`${result.errorCode}: ${result.message}`);
  return result;
}

async function seed(app: INestApplicationContext) {
  const db = app.get(DataSource);
  const organizations = app.get(OrganizationsService);
  const products = app.get(ProductsService);
  const units = app.get(UnitsService);
  const [operatorKey] = await db.query(
    `SELECT k.id, k.organization_id FROM api_keys k JOIN organizations o ON o.id = k.organization_id WHERE o.kind = 'PLATFORM' ORDER BY k.id LIMIT 1`,
  );
  const platform = callerFor(operatorKey.organization_id, 'PLATFORM', operatorKey.id);
  const keys: DemoKey[] = [];
  const serials = ['FRIDGE-900001', 'PHONE-900002', 'WASH-900003'];
  const adminKey = async (organizationId: string, name: string, kind: string) => {
    const created = await organizations.createApiKey(platform, {
      organizationId,
      name: 'Demo admin key',
      role: 'ADMIN',
    });
    keys.push({ organizationId, organization: name, kind, role: 'ADMIN', secret: created.secret });
    return created.apiKey.id;
  };

  const existing: { id: string; name: string; kind: string }[] = await db.query(
    `SELECT id, name, kind FROM organizations WHERE name IN ('Northwind Appliances', 'Contoso Electronics', 'Fabrikam Home', 'FixIt Service Center') ORDER BY name`,
  );
  if (existing.length > 0) {
    process.stdout.write('The demo data is already loaded; here are fresh keys for its organizations.\n');
    for (const org of existing) await adminKey(org.id, org.name, org.kind);
    return { keys, serials };
  }

  const manufacturer = await organizations.createOrganization(platform, {
    name: 'Northwind Appliances',
    kind: 'MANUFACTURER',
  });
  const contoso = await organizations.createOrganization(platform, { name: 'Contoso Electronics', kind: 'RETAILER' });
  const fabrikam = await organizations.createOrganization(platform, { name: 'Fabrikam Home', kind: 'RETAILER' });
  const center = await organizations.createOrganization(platform, {
    name: 'FixIt Service Center',
    kind: 'SERVICE_CENTER',
    laborRate: { amount: '85.00', currency: 'USD' },
    turnaroundDays: 5,
  });
  const manufacturerCtx = callerFor(
    manufacturer.id,
    'MANUFACTURER',
    await adminKey(manufacturer.id, manufacturer.name, 'MANUFACTURER'),
  );
  const contosoCtx = callerFor(contoso.id, 'RETAILER', await adminKey(contoso.id, contoso.name, 'RETAILER'));
  const fabrikamCtx = callerFor(fabrikam.id, 'RETAILER', await adminKey(fabrikam.id, fabrikam.name, 'RETAILER'));
  const centerCtx = callerFor(center.id, 'SERVICE_CENTER', await adminKey(center.id, center.name, 'SERVICE_CENTER'));
  const technicianIds: string[] = [];
  for (const name of ['Dana Ortiz', 'Sam Lee', 'Priya Nair']) {
    const technician = await organizations.createTechnician(platform, {
      serviceCenterId: center.id,
      name,
      email: `${name.split(' ')[0].toLowerCase()}@fixit.example`,
    });
    technicianIds.push(technician.id);
    if (name === 'Dana Ortiz') {
      const key = await organizations.createApiKey(platform, {
        organizationId: center.id,
        name: 'Dana at the bench',
        role: 'TECHNICIAN',
        technicianId: technician.id,
      });
      keys.push({
        organizationId: center.id,
        organization: `${center.name} (technician Dana Ortiz)`,
        kind: 'SERVICE_CENTER',
        role: 'TECHNICIAN',
        secret: key.secret,
      });
    }
  }

  const catalog = [
    {
      sku: 'NW-FRIDGE-500',
      name: 'Northwind 500 L Fridge',
      category: 'FRIDGE',
      warrantyTerms: {
        durationMonths: 24,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        excludedFailures: ['COSMETIC'],
        transferable: true,
      },
    },
    {
      sku: 'NW-WASH-8',
      name: 'Northwind 8 kg Washer',
      category: 'WASHER',
      warrantyTerms: {
        durationMonths: 12,
        startsFrom: 'DELIVERY_DATE',
        coverageTypes: ['PARTS', 'LABOR', 'ON_SITE'],
        registrationRequiredWithinDays: 30,
        maxClaims: 3,
      },
    },
    {
      sku: 'NW-PHONE-X',
      name: 'Northwind Phone X',
      category: 'PHONE',
      warrantyTerms: {
        durationMonths: 12,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        excludedFailures: ['ACCIDENTAL_DAMAGE', 'LIQUID_DAMAGE'],
        transferable: false,
      },
    },
    {
      sku: 'NW-LAPTOP-14',
      name: 'Northwind Book 14',
      category: 'LAPTOP',
      warrantyTerms: { durationMonths: 12, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR', 'SHIPPING'] },
    },
    {
      sku: 'NW-TV-55',
      name: 'Northwind 55" OLED TV',
      category: 'TV',
      warrantyTerms: {
        durationMonths: 24,
        startsFrom: 'DELIVERY_DATE',
        coverageTypes: ['PARTS', 'LABOR', 'ON_SITE'],
        excludedFailures: ['COSMETIC'],
      },
    },
  ] as const;
  const created: ProductView[] = [];
  for (const product of catalog)
    created.push(await products.createProduct(manufacturerCtx, structuredClone(product) as never));

  const carePlus = await products.createServicePlan(manufacturerCtx, {
    name: 'Northwind Care+ 3 years',
    durationMonths: 36,
    startsAfterBaseWarranty: true,
    coverageTypes: ['PARTS', 'LABOR'] as never,
    eligibleCategories: ['FRIDGE', 'WASHER', 'TV'],
    purchaseWindowDays: 60,
    price: { amount: '149.00', currency: 'USD' },
  });
  const protect = await products.createServicePlan(contosoCtx, {
    name: 'Contoso Protect (accidents included)',
    durationMonths: 24,
    startsAfterBaseWarranty: false,
    coverageTypes: ['ACCIDENTAL_DAMAGE', 'PARTS', 'LABOR'] as never,
    eligibleCategories: ['PHONE', 'LAPTOP'],
    purchaseWindowDays: 30,
    maxClaims: 2,
    deductible: { amount: '49.00', currency: 'USD' },
    price: { amount: '129.00', currency: 'USD' },
  });

  const random = sequence(42);
  const now = today();
  let count = 0;
  for (let i = 1; i <= 300; i++) {
    const product = created[random(created.length)];
    const retailerCtx = random(3) === 0 ? fabrikamCtx : contosoCtx;
    const purchaseDate = addDays(now, -random(3 * 365));
    const first = FIRST_NAMES[random(FIRST_NAMES.length)];
    const last = LAST_NAMES[random(LAST_NAMES.length)];
    const unit = unwrap(
      await units.registerUnit(retailerCtx, {
        productId: product.id,
        serialNumber: `${product.sku.split('-')[1]}-${String(i).padStart(6, '0')}`,
        purchaseDate,
        deliveryDate: random(2) === 0 ? earlier(addDays(purchaseDate, 1 + random(10)), now) : undefined,
        purchasePrice: { amount: String(199 + random(1800)) + '.99', currency: 'USD' },
        customer: {
          name: `${first} ${last}`,
          email: `${first}.${last}${i}@example.com`.toLowerCase(),
          marketingConsent: random(2) === 0,
          locale: DEMO_LOCALES[random(DEMO_LOCALES.length)],
          // one owner in ten has a birthday today, so the store's birthday coupon goes out on the demo's first day
          birthDate: random(10) === 0 ? birthdayToday(1960 + random(45)) : undefined,
        },
      }),
    );
    count++;
    // a store sells the maker's plan or its own, never another store's
    const plan = ['FRIDGE', 'WASHER', 'TV'].includes(product.category)
      ? carePlus
      : retailerCtx === contosoCtx
        ? protect
        : null;
    if (random(4) === 0) {
      const purchasedAt = addDays(purchaseDate, random(20));
      if (plan && purchasedAt <= now)
        unwrap(await units.attachServicePlan(retailerCtx, { unitId: unit.id, servicePlanId: plan.id, purchasedAt }));
    }
  }

  // three units with fixed serials and dates for the README's walkthroughs: a fridge sold last week
  // (returnable, repairable), a phone old enough for the store's trade-in, a washer for the maker's
  const bySku = (sku: string) => created.find((p) => p.sku === sku)!;
  const walkthrough = [
    {
      sku: 'NW-FRIDGE-500',
      serialNumber: 'FRIDGE-900001',
      seller: contosoCtx,
      daysAgo: 8,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', marketingConsent: true, locale: 'en-GB' },
    },
    {
      sku: 'NW-PHONE-X',
      serialNumber: 'PHONE-900002',
      seller: contosoCtx,
      daysAgo: 300,
      customer: { name: 'Alan Turing', email: 'alan@example.com', locale: 'sv' },
    },
    {
      sku: 'NW-WASH-8',
      serialNumber: 'WASH-900003',
      seller: fabrikamCtx,
      daysAgo: 540,
      customer: { name: 'Grace Hopper', email: 'grace@example.com', marketingConsent: true, locale: 'it' },
    },
  ];
  for (const unit of walkthrough) {
    const purchaseDate = addDays(now, -unit.daysAgo);
    unwrap(
      await units.registerUnit(unit.seller, {
        productId: bySku(unit.sku).id,
        serialNumber: unit.serialNumber,
        purchaseDate,
        deliveryDate: addDays(purchaseDate, 2),
        purchasePrice: { amount: '899.00', currency: 'USD' },
        customer: unit.customer,
      }),
    );
    count++;
  }

  await seedPolicies(app, contosoCtx, fabrikamCtx);
  await seedProductResources(products, manufacturerCtx, created);
  await seedJourneys(app, manufacturerCtx, contosoCtx, fabrikamCtx);
  await seedUpgradePrograms(app, manufacturerCtx, contosoCtx, created, products);

  // the bench: recent units that are still under warranty, taken in by the center
  const repairs = app.get(RepairsService);
  const recent: { id: string; serial_number: string; retailer_id: string }[] = await db.query(
    `SELECT id, serial_number, retailer_id FROM units WHERE status = 'ACTIVE' AND purchase_date > $1 AND serial_number <> ALL($2)
      ORDER BY purchase_date DESC, id LIMIT 3`,
    [addDays(now, -300), serials],
  );
  const tickets: RepairTicketView[] = [];
  for (const [i, unit] of recent.entries()) {
    const issue = {
      serviceCenterId: center.id,
      reportedIssue: ['Not cooling', 'Drum does not spin', 'No picture'][i],
      failureCategory: ['MECHANICAL', 'MECHANICAL', 'ELECTRICAL'][i] as never,
    };
    // the first one the store that sold it sends in; the center takes the others in by serial number
    const opened =
      i === 0
        ? await repairs.open(unit.retailer_id === contoso.id ? contosoCtx : fabrikamCtx, { ...issue, unitId: unit.id })
        : await repairs.open(centerCtx, {
            ...issue,
            serialNumber: unit.serial_number,
            manufacturerId: manufacturer.id,
          });
    tickets.push(unwrap(opened));
  }
  const work = async (ticketIndex: number, input: Record<string, unknown>) => {
    tickets[ticketIndex] = unwrap(
      await repairs.update(centerCtx, {
        ticketId: tickets[ticketIndex].id,
        expectedVersion: tickets[ticketIndex].version,
        ...input,
      } as never),
    );
  };
  if (tickets[1]) {
    tickets[1] = unwrap(
      await repairs.assignTechnician(centerCtx, {
        ticketId: tickets[1].id,
        technicianId: technicianIds[0],
        expectedVersion: tickets[1].version,
      }),
    );
    await work(1, { status: 'DIAGNOSING', note: 'On the bench' });
    await work(1, {
      diagnosis: 'Drive belt worn through',
      addParts: [
        {
          partNumber: 'BELT-8',
          description: 'Drive belt',
          quantity: 1,
          unitCost: { amount: '18.40', currency: 'USD' },
        },
      ],
      addLaborMinutes: 45,
    });
    await work(1, { status: 'IN_REPAIR' });
  }
  if (tickets[2]) {
    await work(2, { status: 'DIAGNOSING' });
    await work(2, {
      diagnosis: 'Power board failed',
      addParts: [
        {
          partNumber: 'PWR-55',
          description: 'Power board',
          quantity: 1,
          unitCost: { amount: '96.00', currency: 'USD' },
        },
      ],
      addLaborMinutes: 60,
    });
    for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED']) await work(2, { status });
  }
  process.stdout.write(
    `Loaded ${count} units of ${created.length} products for ${manufacturer.name}, sold by ${contoso.name} and ${fabrikam.name}, ` +
      `their return policies, two upgrade programs, ${tickets.length} repair tickets at ${center.name}, ` +
      `and a journey of each outreach kind (messages appear under the mail folder within a minute of starting).\n`,
  );
  return { keys, serials };
}

/** The owners' languages: the five the messages are written in, and one that falls back to English. */
const DEMO_LOCALES = ['en', 'it', 'es', 'ru', 'sv', 'en-US', 'pt-BR'];

/** A birth date in `year` on today's month and day (28 February for a 29 February today in a common year). */
function birthdayToday(year: number): string {
  const monthDay = today().slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}

/** What a maker puts beside its products: manuals, a course, support, some in the owners' languages. */
async function seedProductResources(products: ProductsService, maker: RequestContext, catalog: ProductView[]) {
  for (const product of catalog) {
    const slug = product.sku.toLowerCase();
    const resources = [
      {
        kind: 'MANUAL',
        title: `${product.name}: user manual`,
        url: `https://support.northwind.example/${slug}/manual.pdf`,
      },
      {
        kind: 'TUTORIAL',
        title: 'Getting started in ten minutes',
        url: `https://support.northwind.example/${slug}/start`,
      },
      { kind: 'SUPPORT_CONTACT', title: 'Northwind support', url: 'https://support.northwind.example/contact' },
      {
        kind: 'MANUAL',
        title: "Manuale d'uso",
        url: `https://support.northwind.example/it/${slug}/manuale.pdf`,
        locale: 'it',
      },
      {
        kind: 'MANUAL',
        title: 'Manual de usuario',
        url: `https://support.northwind.example/es/${slug}/manual.pdf`,
        locale: 'es',
      },
      {
        kind: 'MANUAL',
        title: 'Руководство пользователя',
        url: `https://support.northwind.example/ru/${slug}/manual.pdf`,
        locale: 'ru',
      },
      {
        kind: 'MANUAL',
        title: 'Bruksanvisning',
        url: `https://support.northwind.example/sv/${slug}/bruksanvisning.pdf`,
        locale: 'sv',
      },
    ];
    for (const resource of resources)
      await products.addResource(maker, { productId: product.id, ...resource } as never);
  }
}

/**
 * A journey of each kind, dated so that each has occasions on the demo's first day: the maker's
 * service messages (fridges registered today, the walkthrough fridge a week after purchase, the
 * phone's support resources), the stores' offers, review and survey requests (a second marketing
 * message to Ada within a week is held back by the frequency cap: the log shows why), a birthday
 * coupon and a greeting for today. Built-in templates in every language.
 */
async function seedJourneys(
  app: INestApplicationContext,
  maker: RequestContext,
  contoso: RequestContext,
  fabrikam: RequestContext,
) {
  const journeys = app.get(JourneysService);
  const plans: [RequestContext, Record<string, unknown>][] = [
    [
      maker,
      {
        name: 'Welcome: your warranty',
        kind: 'WARRANTY_INFO',
        trigger: 'UNIT_REGISTERED',
        productCategories: ['FRIDGE'],
      },
    ],
    [
      maker,
      {
        name: 'Get started with your appliance',
        kind: 'PRODUCT_TRAINING',
        trigger: 'DAYS_AFTER_PURCHASE',
        offsetDays: 8,
      },
    ],
    [
      maker,
      { name: 'Help when you need it', kind: 'SUPPORT_RESOURCES', trigger: 'DAYS_AFTER_PURCHASE', offsetDays: 300 },
    ],
    [
      maker,
      {
        name: 'Trade up your washer',
        kind: 'REPAIR_OR_UPGRADE_OFFER',
        trigger: 'DAYS_AFTER_PURCHASE',
        offsetDays: 540,
      },
    ],
    [
      maker,
      {
        name: 'After your repair',
        kind: 'SURVEY',
        trigger: 'REPAIR_CLOSED',
        survey: { question: 'How satisfied are you with the repair?', scale: 'CSAT', askComment: true },
      },
    ],
    [contoso, { name: 'Returns: how they work', kind: 'RETURN_POLICY', trigger: 'DAYS_AFTER_PURCHASE', offsetDays: 8 }],
    [
      contoso,
      {
        name: 'Tell others about it',
        kind: 'REVIEW_REQUEST',
        trigger: 'DAYS_AFTER_PURCHASE',
        offsetDays: 8,
        reviewUrl: 'https://reviews.contoso.example/write',
      },
    ],
    [
      contoso,
      {
        name: 'How did we do?',
        kind: 'SURVEY',
        trigger: 'DAYS_AFTER_PURCHASE',
        offsetDays: 8,
        survey: { question: 'How likely are you to recommend Contoso to a friend?', scale: 'NPS', askComment: true },
      },
    ],
    [
      contoso,
      {
        name: 'Birthday coupon',
        kind: 'COUPON',
        trigger: 'BIRTHDAY',
        coupon: { prefix: 'BDAY', discountPercent: 15, validDays: 30 },
      },
    ],
    [
      fabrikam,
      { name: 'Greetings from Fabrikam', kind: 'GREETING', trigger: 'ANNUAL_DATE', annualDate: today().slice(5) },
    ],
  ];
  for (const [sender, input] of plans) unwrap(await journeys.create(sender, input as never));
}

/** The earlier of two ISO dates: nothing in the demo is delivered after today. */
const earlier = (a: string, b: string) => (a < b ? a : b);

interface DemoKey {
  organizationId: string;
  organization: string;
  kind: string;
  role: string;
  secret: string;
}

/** Each store's return policy: a 30-day default, and a stricter one for phones and laptops. */
async function seedPolicies(app: INestApplicationContext, ...stores: RequestContext[]) {
  const returns = app.get(ReturnsService);
  for (const store of stores) {
    await returns.createPolicy(store, {
      name: '30-day returns',
      windowDays: 30,
      unopenedWindowDays: 45,
      windowStartsFrom: 'DELIVERY_DATE' as never,
      restockingFeePercent: '10',
      allowedResolutions: ['REFUND', 'EXCHANGE', 'STORE_CREDIT', 'REPAIR'] as never,
    });
    await returns.createPolicy(store, {
      name: 'Phones and laptops: 14 days',
      categories: ['PHONE', 'LAPTOP'],
      windowDays: 14,
      restockingFeePercent: '15',
      allowedResolutions: ['REFUND', 'EXCHANGE', 'REPAIR'] as never,
    });
  }
}

/** The maker's trade-up for fridges and washers a year old, and a store's phone trade-in. */
async function seedUpgradePrograms(
  app: INestApplicationContext,
  maker: RequestContext,
  store: RequestContext,
  catalog: { id: string; category: string }[],
  products: ProductsService,
) {
  const upgrades = app.get(UpgradesService);
  const newFridge = await products.createProduct(maker, {
    sku: 'NW-FRIDGE-700',
    name: 'Northwind 700 L Fridge',
    category: 'FRIDGE',
    warrantyTerms: {
      durationMonths: 36,
      startsFrom: 'PURCHASE_DATE',
      coverageTypes: ['PARTS', 'LABOR'],
      transferable: true,
    },
  } as never);
  const grades = (a: string, b: string, c: string) => [
    { grade: 'A', value: { amount: a, currency: 'USD' } },
    { grade: 'B', value: { amount: b, currency: 'USD' } },
    { grade: 'C', value: { amount: c, currency: 'USD' } },
  ];
  await upgrades.createProgram(maker, {
    name: 'Northwind trade-up',
    eligibleCategories: ['FRIDGE', 'WASHER'],
    targetProductIds: [newFridge.id],
    minMonthsOwned: 12,
    maxUnitAgeMonths: 60,
    tradeInValues: grades('250.00', '150.00', '50.00'),
    validFrom: addDays(today(), -30),
  });
  const phone = catalog.find((p) => p.category === 'PHONE');
  if (phone) {
    await upgrades.createProgram(store, {
      name: 'Contoso phone trade-in',
      eligibleCategories: ['PHONE'],
      targetProductIds: [phone.id],
      minMonthsOwned: 6,
      tradeInValues: grades('180.00', '90.00', '20.00'),
      validFrom: addDays(today(), -30),
    });
  }
}

try {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await createApp(config);
  const { keys, serials } = await seed(app);
  process.stdout.write('\nOrganizations and their API keys (the keys are shown once):\n');
  for (const key of keys) {
    process.stdout.write(
      `  ${key.organization.padEnd(44)} ${key.kind.padEnd(15)} ${key.organizationId}\n    ${key.role.padEnd(10)} ${key.secret}\n`,
    );
  }
  process.stdout.write(
    `\nSerial numbers to try: ${serials.join(', ')} (sold 8, 300 and 540 days ago; see the README's walkthroughs)\n`,
  );
  process.stdout.write(
    `\nTry: curl -s localhost:${config.port}/api/v1/units?first=3 -H "Authorization: Bearer ${keys[0]?.secret ?? '<key>'}"\n`,
  );
  await app.close();
  process.exit(0);
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? 'Configuration error: ' : ''}${(error as Error).stack ?? error}\n`,
  );
  process.exit(1);
}
