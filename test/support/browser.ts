import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OwnerLinks, type OwnerPage } from '../../src/owner-pages/owner-links.js';
import { createProduct, createTenant, rest, uniqueSerial, type Tenant } from './api.js';
import { sqlQuery } from './input-helpers.js';
import { insertJourney, insertMessage } from './outreach-fixtures.js';
import { createServiceCenter } from './repairs-client.js';
import { createPolicy } from './returns-client.js';
import type { TestApp } from './test-app.js';
import { addMonthsUtc, mustRegister, utcToday } from './units-helpers.js';

// The owner pages' test world (their API-made units, tickets and the outreach rows the planner and
// sender would write) and the headless Chromium that opens them.

export interface OwnerWorld {
  maker: Tenant;
  seller: Tenant;
  center: Tenant;
  productId: string;
  /** Units bought today (return window open, covered) with an owner in each language. */
  unitByLocale: Record<string, string>;
  /** An uncovered unit (bought 30 months ago) with a ticket whose estimate the customer pays, awaiting approval. */
  ticket: { id: string; unitId: string; number: string };
  journeys: { csat: string; nps: string; review: string; info: string };
  reviewUrl: string;
  links: OwnerLinks;
}

export const OWNER_EMAIL = 'Ada.Owner@Example.com';

async function registerOwned(
  t: TestApp,
  w: { maker: Tenant; seller: Tenant },
  productId: string,
  o: {
    locale: string | null;
    purchaseDate?: string;
  },
): Promise<string> {
  const unit = await mustRegister(t, w.seller.staff, {
    productId,
    manufacturerId: w.maker.id,
    serialNumber: uniqueSerial(),
    purchaseDate: o.purchaseDate ?? utcToday(),
    customer: {
      name: 'Ada Owner',
      email: OWNER_EMAIL,
      marketingConsent: true,
      ...(o.locale ? { locale: o.locale } : {}),
    },
  });
  return unit.id;
}

async function addResources(t: TestApp, productId: string) {
  const rows: [string, string, string, string | null][] = [
    ['MANUAL', 'Quick start guide', 'https://example.com/guide-en.pdf', 'en'],
    ['MANUAL', 'Guida rapida', 'https://example.com/guida-it.pdf', 'it'],
    ['VIDEO', 'Видео: первые шаги', 'https://example.com/video-ru', 'ru'],
    ['SUPPORT_CONTACT', 'Helpline +1 555 0100', 'https://example.com/support', null],
  ];
  for (const [kind, title, url, locale] of rows)
    await sqlQuery(
      t,
      `INSERT INTO product_resources (id, product_id, kind, title, url, locale) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), productId, kind, title, url, locale],
    );
}

/** A ticket the retailer opens for the center; the center prices it (the customer pays) and asks for approval. */
export async function ticketAwaitingApproval(t: TestApp, w: { seller: Tenant; center: Tenant }, unitId: string) {
  const opened = await rest(t, w.seller.staff).post('/repair-tickets', {
    unitId,
    serviceCenterId: w.center.id,
    reportedIssue: 'The compressor rattles',
    failureCategory: 'MECHANICAL',
  });
  if (opened.status !== 201) throw new Error(`opening a ticket: ${opened.status} ${JSON.stringify(opened.body)}`);
  const { id, number } = opened.body as { id: string; number: string };
  let version = (opened.body as { version: number }).version;
  for (const body of [
    { status: 'DIAGNOSING' },
    {
      status: 'AWAITING_APPROVAL',
      diagnosis: 'Worn compressor mount',
      addParts: [
        {
          partNumber: 'CM-1',
          description: 'Compressor mount',
          quantity: 1,
          unitCost: { amount: '40.00', currency: 'EUR' },
        },
      ],
      addLaborMinutes: 30,
    },
  ]) {
    const res = await rest(t, w.center.staff).patch(`/repair-tickets/${id}`, { ...body, expectedVersion: version });
    if (res.status !== 200) throw new Error(`updating the ticket: ${res.status} ${JSON.stringify(res.body)}`);
    version = (res.body as { version: number }).version;
  }
  return { id, unitId, number };
}

export async function buildOwnerWorld(t: TestApp): Promise<OwnerWorld> {
  const maker = await createTenant(t, 'MANUFACTURER', 'Nordkyl AB');
  const seller = await createTenant(t, 'RETAILER', 'Casa & Cucina');
  const center = await createServiceCenter(t, {
    name: 'FixIt Service',
    laborRate: { amount: '60.00', currency: 'EUR' },
  });
  await createPolicy(t, seller, { windowDays: 30, restockingFeePercent: '15' });
  const productId = (await createProduct(t, maker.staff, { name: 'Nordkyl Frost 300' })).id;
  await addResources(t, productId);
  const w = { maker, seller };
  const unitByLocale: Record<string, string> = {};
  for (const locale of ['en', 'it', 'es', 'ru', 'sv'])
    unitByLocale[locale] = await registerOwned(t, w, productId, { locale });
  const oldUnit = await registerOwned(t, w, productId, { locale: 'en', purchaseDate: addMonthsUtc(utcToday(), -30) });
  const ticket = await ticketAwaitingApproval(t, { seller, center }, oldUnit);
  const reviewUrl = 'https://reviews.example.com/nordkyl-frost-300?utm=mail';
  const journeys = {
    csat: await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'How happy are you with your purchase?', scale: 'CSAT', askComment: true },
    }),
    nps: await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'Would you recommend us to a friend?', scale: 'NPS', askComment: false },
    }),
    review: await insertJourney(t, { senderId: seller.id, kind: 'REVIEW_REQUEST' }),
    info: await insertJourney(t, { senderId: seller.id, kind: 'WARRANTY_INFO' }),
  };
  await sqlQuery(t, `UPDATE outreach_journeys SET review_url = $2 WHERE id = $1`, [journeys.review, reviewUrl]);
  return { maker, seller, center, productId, unitByLocale, ticket, journeys, reviewUrl, links: t.app.get(OwnerLinks) };
}

/** A SENT message of the journey about the unit, to the owner's address, in `locale`. */
export function sentMessage(t: TestApp, w: OwnerWorld, journeyId: string, unitId: string, locale = 'en') {
  return insertMessage(t, { journeyId, senderId: w.seller.id, unitId, recipient: OWNER_EMAIL, locale });
}

/** The path of an owner link (/o/<token>), for requests to the test app. */
export const pathOf = (url: string) => new URL(url).pathname;

export function ownerPath(
  w: OwnerWorld,
  page: OwnerPage,
  objectId: string,
  opts: { messageId?: string; now?: Date } = {},
) {
  return pathOf(w.links.url(page, objectId, opts));
}

export async function linkClicks(t: TestApp, messageId: string): Promise<number> {
  const [row] = await sqlQuery<{ link_clicks: number }>(t, `SELECT link_clicks FROM outreach_messages WHERE id = $1`, [
    messageId,
  ]);
  return row.link_clicks;
}

/** The journey's linkClicks as the API reports it; null while the journeys API is not served (it lands separately). */
export async function journeyClicks(t: TestApp, key: string, journeyId: string): Promise<number | null> {
  const res = await rest(t, key).get(`/outreach-journeys/${journeyId}`);
  if (res.status !== 200) return null;
  return (res.body as { stats: { linkClicks: number } }).stats.linkClicks;
}

// ---- the browser ----

/** Where Chromium is, or null: the browser tests then skip, saying so. */
export function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!)) ?? null;
}

export interface HeadlessBrowser {
  browser: Browser;
  /** A fresh context (no cookies, no cache) at a viewport width. */
  context(width?: number): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Chromium headless, in a fresh temporary profile (playwright makes one per launch and deletes it on close). */
export async function launchChromium(executablePath: string): Promise<HeadlessBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    context: (width = 1280) => browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 }),
    close: () => browser.close(),
  };
}

/** The serious and critical accessibility violations axe-core finds on the page (none expected). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
