import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup.js';
import type { Caller } from '../src/common/auth/caller.js';
import { JourneysService } from '../src/outreach/journeys.service.js';
import { OutreachPreview } from '../src/outreach/sending/outreach-preview.service.js';
import { OutreachSender } from '../src/outreach/sending/outreach-sender.service.js';
import { OwnerLinks } from '../src/owner-pages/owner-links.js';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.service.js';
import { createProduct, createTenant, dataOf, gql, registerUnit, uniqueSerial, type Tenant } from './support/api.js';
import { untypedOperation } from './support/graphql-documents.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Issue 14, the sender (OUTREACH.md): recorded messages go out at send time to the unit's owner
 * of that moment, in the owner's language, over a real SMTP server; every suppression reason
 * holds a message back; temporary failures are retried with the same Message-ID, refusals bounce
 * the address; coupons are issued once per message; the WEBHOOK channel hands the message to the
 * sender's own endpoint; two replicas send each message once. The clock is injected: `sendDue(at(n))`.
 */

let t: TestApp;
let sink: SmtpSink;
let receiver: WebhookReceiver;
let db: DataSource;
let sender: OutreachSender;
let links: OwnerLinks;
let maker: Tenant;
let shop: Tenant;
let productId: string;

const base = Date.now();
/** The injected clock: `minutes` after the test file started. */
const at = (minutes: number) => new Date(base + minutes * 60_000);
const today = new Date(base).toISOString().slice(0, 10);

const TRANSFER = untypedOperation('TransferOwnership');
const CREATE_ENDPOINT = untypedOperation('CreateWebhookEndpoint');
const EVENT_TYPES = untypedOperation('WebhookEventTypes');

let addressCounter = 0;
/** A fresh address per test: the frequency cap and bounces are per address. */
const address = (name = 'owner') => `${name}.${++addressCounter}.${randomUUID().slice(0, 8)}@example.com`;

interface OwnerSpec {
  name?: string;
  email?: string | null;
  marketingConsent?: boolean;
  locale?: string;
}

/** A unit the shop sold, made by the maker, with this owner. */
async function unitOf(owner: OwnerSpec = {}): Promise<string> {
  const customer: Record<string, unknown> = {
    name: owner.name ?? 'Ann Owner',
    marketingConsent: owner.marketingConsent,
  };
  if (owner.email !== null) customer.email = owner.email ?? address();
  if (owner.locale) customer.locale = owner.locale;
  const unit = await registerUnit(t, maker.staff, {
    productId,
    serialNumber: uniqueSerial(),
    purchaseDate: today,
    retailerId: shop.id,
    customer,
  });
  if (unit.__typename !== 'Unit') throw new Error(JSON.stringify(unit));
  return unit.id;
}

interface JourneySpec {
  kind?: string;
  purpose?: 'SERVICE' | 'MARKETING';
  channel?: 'EMAIL' | 'WEBHOOK';
  templates?: Array<{ locale: string; subject: string; body: string }>;
  coupon?: Record<string, unknown> | null;
  senderId?: string;
  productCategories?: string[];
}

/** A journey recorded as the API would (the API has its own tests). */
async function journey(spec: JourneySpec = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO outreach_journeys (id, sender_id, name, kind, purpose, trigger, channel, templates, coupon, active_since,
                                    product_categories)
     VALUES ($1, $2, 'Test journey', $3, $4, 'UNIT_REGISTERED', $5, $6::jsonb, $7::jsonb, $8, $9)`,
    [
      id,
      spec.senderId ?? shop.id,
      spec.kind ?? 'WARRANTY_INFO',
      spec.purpose ?? 'SERVICE',
      spec.channel ?? 'EMAIL',
      JSON.stringify(spec.templates ?? []),
      spec.coupon ? JSON.stringify(spec.coupon) : null,
      today,
      spec.productCategories ?? [],
    ],
  );
  return id;
}

/** A QUEUED message, as the planner records it, due at `due`. */
async function queue(journeyId: string, unitId: string, due = at(0)): Promise<string> {
  const id = randomUUID();
  const [{ sender_id, channel }] = await db.query(`SELECT sender_id, channel FROM outreach_journeys WHERE id = $1`, [
    journeyId,
  ]);
  await db.query(
    `INSERT INTO outreach_messages (id, journey_id, sender_id, unit_id, occasion, dedup_key, channel, status, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'QUEUED', $8)`,
    [id, journeyId, sender_id, unitId, today, `${unitId}:${id}`, channel, due],
  );
  return id;
}

interface MessageRow {
  status: string;
  suppression_reason: string | null;
  recipient: string | null;
  recipient_key: string | null;
  locale: string | null;
  subject: string | null;
  attempts: number;
  email_message_id: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  last_error: string | null;
}

async function message(id: string): Promise<MessageRow> {
  const [row] = await db.query(`SELECT * FROM outreach_messages WHERE id = $1`, [id]);
  return row;
}

/** Every mail the sink accepted for an address (any case). */
const mailTo = (to: string): ParsedMail[] =>
  sink.messages.filter((_m, i) => sink.envelopes[i].rcptTo.some((rcpt) => rcpt.toLowerCase() === to.toLowerCase()));

/** A header as it came (mailparser reads some, List-* for one, into objects). */
const headerOf = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((h) => h.key === name)
    ?.line.slice(name.length + 1)
    .trim() ?? '';

/** The owner-link tokens in a text. */
const tokensIn = (text: string) => [...text.matchAll(/\/o\/([A-Za-z0-9_-]+)/g)].map((m) => m[1]);

const callerOf = (tenant: Tenant, kind: Caller['organizationKind']): Caller => ({
  apiKeyId: 'test',
  organizationId: tenant.id,
  organizationKind: kind,
  role: 'STAFF',
  technicianId: null,
});

beforeAll(async () => {
  sink = await startSmtpSink();
  receiver = await WebhookReceiver.start();
  t = await startTestApp({
    SMTP_URL: sink.url,
    JOBS_POLL_MS: '0',
    OUTREACH_FROM: 'care@aftercare.test',
    WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
  });
  db = t.app.get(DataSource);
  sender = t.app.get(OutreachSender);
  links = t.app.get(OwnerLinks);
  maker = await createTenant(t, 'MANUFACTURER', 'Nordwind Appliances');
  shop = await createTenant(t, 'RETAILER', 'Kylbutiken');
  productId = (await createProduct(t, maker.staff, { name: 'Nordwind Fridge 300' })).id;
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
  await receiver?.close();
});

describe('the sender writes in the owner language and keeps values safe', () => {
  it('sends in the owner language where a template exists, else its language part, else English', async () => {
    const j = await journey();
    const swedish = address('sv');
    const brazilian = address('pt');
    const sv = await queue(j, await unitOf({ email: swedish, locale: 'sv-SE', name: 'Sven' }));
    const pt = await queue(j, await unitOf({ email: brazilian, locale: 'pt-BR', name: 'João' }));
    await sender.sendDue(at(0));

    expect(await message(sv)).toMatchObject({ status: 'SENT', locale: 'sv', recipient: swedish });
    expect(await message(pt)).toMatchObject({ status: 'SENT', locale: 'en', recipient: brazilian });
    const [svMail] = mailTo(swedish);
    const [ptMail] = mailTo(brazilian);
    expect(headerOf(svMail, 'content-language')).toBe('sv');
    expect(headerOf(ptMail, 'content-language')).toBe('en');
    expect(svMail.html).toContain('lang="sv"');
    expect(svMail.subject).toBe((await message(sv)).subject);
    expect(svMail.subject).not.toBe(ptMail.subject);
    expect(svMail.text).toContain('Sven');
    expect(svMail.text).toContain('Nordwind Fridge 300');
    expect(svMail.from?.text).toContain('Kylbutiken');
    expect(svMail.from?.value[0].address).toBe('care@aftercare.test');
  });

  it('points at the product page, not at an empty list, while the product has no resources; then lists them', async () => {
    const j = await journey({ kind: 'SUPPORT_RESOURCES' });
    const before = address();
    await queue(j, await unitOf({ email: before }));
    await sender.sendDue(at(0));
    const [bare] = mailTo(before);
    expect(bare.text).toContain('your product page is the best place to start');
    expect(bare.text).not.toMatch(/:\s*$/m); // no sentence left announcing a list

    await db.query(
      `INSERT INTO product_resources (id, product_id, kind, title, url, locale)
       VALUES ($1, $2, 'FAQ', 'Questions and answers', 'https://example.com/faq', 'en')`,
      [randomUUID(), productId],
    );
    const after = address();
    await queue(j, await unitOf({ email: after }));
    await sender.sendDue(at(0));
    const [listed] = mailTo(after);
    expect(listed.text).toContain('these are the best places to start:');
    expect(listed.text).toContain('Questions and answers: https://example.com/faq');
    await db.query(`DELETE FROM product_resources WHERE product_id = $1`, [productId]);
  });

  it('escapes every value in the HTML part and carries owner links that verify', async () => {
    const name = '<script>alert(1)</script> & Co';
    const j = await journey({
      templates: [
        {
          locale: 'en',
          subject: 'For {{ owner.name }}',
          body: 'Dear {{ owner.name }},\n\nYour page: {{ links.ownerPage }}\n\nUnsubscribe: {{ links.unsubscribe }}',
        },
      ],
    });
    const to = address();
    const unitId = await unitOf({ email: to, name });
    const id = await queue(j, unitId);
    await sender.sendDue(at(0));

    const [mail] = mailTo(to);
    expect(mail.text).toContain(name);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    const [page, unsubscribe] = tokensIn(mail.text ?? '').map((token) => links.verify(token));
    expect(page).toMatchObject({ page: 'unit', objectId: unitId, messageId: id });
    expect(unsubscribe).toMatchObject({ page: 'unsubscribe', objectId: id, messageId: id });
    expect(headerOf(mail, 'list-unsubscribe')).toBe(
      `<${t.config.outreach.publicUrl}/o/${tokensIn(mail.text ?? '')[1]}>`,
    );
    expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toContain(id);
    expect((await message(id)).email_message_id).toBe(`<${mail.messageId?.replace(/^<|>$/g, '')}>`);
  });
});

describe('suppression at send time', () => {
  async function suppressed(id: string, reason: string, to: string | null) {
    expect(await message(id)).toMatchObject({ status: 'SUPPRESSED', suppression_reason: reason, sent_at: null });
    if (to) expect(mailTo(to)).toHaveLength(0);
  }

  it('holds back a MARKETING message without consent, a second one within the cap, but never a SERVICE one', async () => {
    const greeting = await journey({ kind: 'GREETING', purpose: 'MARKETING' });
    const survey = await journey({ kind: 'SURVEY', purpose: 'MARKETING' });
    const service = await journey();

    const shy = address();
    const noConsent = await queue(greeting, await unitOf({ email: shy, marketingConsent: false }));
    await sender.sendDue(at(0));
    await suppressed(noConsent, 'NO_MARKETING_CONSENT', shy);
    expect(await message(noConsent)).toMatchObject({ recipient: shy, recipient_key: shy.toLowerCase(), locale: 'en' });
    expect((await message(noConsent)).subject).toBeTruthy();

    const fan = address('Fan');
    const unit = await unitOf({ email: fan, marketingConsent: true });
    const first = await queue(greeting, unit);
    await sender.sendDue(at(0));
    expect((await message(first)).status).toBe('SENT');
    // another MARKETING message two days later: capped; a SERVICE message: sent
    const second = await queue(survey, unit, at(2 * 24 * 60));
    const info = await queue(service, unit, at(2 * 24 * 60));
    await sender.sendDue(at(2 * 24 * 60));
    expect(await message(second)).toMatchObject({ status: 'SUPPRESSED', suppression_reason: 'FREQUENCY_CAP' });
    expect((await message(info)).status).toBe('SENT');
    expect(mailTo(fan)).toHaveLength(2);
    // eight days after the first: the cap no longer applies
    const third = await queue(survey, unit, at(8 * 24 * 60));
    await sender.sendDue(at(8 * 24 * 60));
    expect((await message(third)).status).toBe('SENT');
  });

  it('holds back messages to an unsubscribed or bounced address (any case), with no email, or about an inactive unit', async () => {
    const j = await journey();
    const leaver = address('Leaver');
    await db.query(`INSERT INTO outreach_recipients (sender_id, address, unsubscribed_at) VALUES ($1, $2, now())`, [
      shop.id,
      leaver.toLowerCase(),
    ]);
    const bounced = address();
    await db.query(`INSERT INTO outreach_recipients (sender_id, address, bounced_at) VALUES ($1, $2, now())`, [
      shop.id,
      bounced,
    ]);
    const returned = address();
    const returnedUnit = await unitOf({ email: returned });
    await db.query(`UPDATE units SET status = 'RETURNED' WHERE id = $1`, [returnedUnit]);

    const unsubscribedMessage = await queue(j, await unitOf({ email: leaver }));
    const bouncedMessage = await queue(j, await unitOf({ email: bounced }));
    const noEmail = await queue(j, await unitOf({ email: null }));
    const inactive = await queue(j, returnedUnit);
    await sender.sendDue(at(0));

    await suppressed(unsubscribedMessage, 'UNSUBSCRIBED', leaver);
    await suppressed(bouncedMessage, 'BOUNCED', bounced);
    await suppressed(noEmail, 'NO_EMAIL', null);
    expect((await message(noEmail)).recipient).toBeNull();
    await suppressed(inactive, 'UNIT_NOT_ACTIVE', returned);
    // the unsubscribe of one sender is not another's: the maker still reaches the same owner
    const makers = await journey({ senderId: maker.id });
    const fromMaker = await queue(makers, await unitOf({ email: leaver }));
    await sender.sendDue(at(0));
    expect((await message(fromMaker)).status).toBe('SENT');
  });
});

describe('failures', () => {
  it('retries a temporary failure with backoff and the same Message-ID, and sends once', async () => {
    const j = await journey();
    const to = address();
    const id = await queue(j, await unitOf({ email: to }));
    sink.failNext(2, 451);
    await sender.sendDue(at(0));
    expect(await message(id)).toMatchObject({ status: 'QUEUED', attempts: 1 });
    expect((await message(id)).next_attempt_at).toEqual(at(1));
    await sender.sendDue(at(0.5)); // not due yet
    expect((await message(id)).attempts).toBe(1);
    await sender.sendDue(at(1));
    expect(await message(id)).toMatchObject({ status: 'QUEUED', attempts: 2 });
    expect((await message(id)).next_attempt_at).toEqual(at(6));
    await sender.sendDue(at(6));
    expect(await message(id)).toMatchObject({ status: 'SENT', attempts: 3 });
    const mails = mailTo(to);
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toContain(id);
  });

  it('fails a message refused for good, and bounces the address for the sender', async () => {
    const j = await journey();
    const to = address('Gone');
    sink.refuseRecipient(to, 550);
    const id = await queue(j, await unitOf({ email: to }));
    await sender.sendDue(at(0));
    expect((await message(id)).status).toBe('FAILED');
    const [known] = await db.query(`SELECT bounced_at FROM outreach_recipients WHERE sender_id = $1 AND address = $2`, [
      shop.id,
      to.toLowerCase(),
    ]);
    expect(known.bounced_at).not.toBeNull();
    const later = await queue(j, await unitOf({ email: to }));
    await sender.sendDue(at(1));
    expect(await message(later)).toMatchObject({ status: 'SUPPRESSED', suppression_reason: 'BOUNCED' });
  });

  it('gives up temporary failures after OUTREACH_RETRY_HOURS', async () => {
    const j = await journey();
    const id = await queue(j, await unitOf());
    sink.failNext(1, 451);
    await sender.sendDue(at(25 * 60));
    expect((await message(id)).status).toBe('FAILED');
  });

  it('sends a message whose claim ran out (its replica died) later, once', async () => {
    const j = await journey();
    const to = address();
    const id = await queue(j, await unitOf({ email: to }));
    // a replica claimed it and died
    await db.query(`UPDATE outreach_messages SET lease_token = $2, lease_until = $3 WHERE id = $1`, [
      id,
      randomUUID(),
      at(10),
    ]);
    await sender.sendDue(at(1));
    expect((await message(id)).status).toBe('QUEUED');
    await sender.sendDue(at(11));
    expect((await message(id)).status).toBe('SENT');
    expect(mailTo(to)).toHaveLength(1);
  });
});

describe('coupons', () => {
  const spec = { prefix: 'SPRING', discountPercent: 15, discountAmount: null, discountCurrency: null, validDays: 30 };

  it('issues one unique code per message, sent in it, valid through sent day + validDays; a retry keeps it', async () => {
    const j = await journey({ kind: 'COUPON', purpose: 'MARKETING', coupon: spec });
    const owners = [address(), address(), address()];
    const ids = [];
    for (const to of owners) ids.push(await queue(j, await unitOf({ email: to, marketingConsent: true })));
    sink.failNext(1, 451);
    await sender.sendDue(at(0));
    await sender.sendDue(at(1));
    const coupons: { code: string; message_id: string; expires_on: string; discount_percent: number }[] =
      await db.query(`SELECT code, message_id, expires_on, discount_percent FROM coupons WHERE journey_id = $1`, [j]);
    expect(coupons).toHaveLength(3);
    expect(new Set(coupons.map((c) => c.code)).size).toBe(3);
    expect(new Set(coupons.map((c) => c.message_id))).toEqual(new Set(ids));
    const expires = new Date(base + 30 * 86_400_000).toISOString().slice(0, 10);
    for (const c of coupons) {
      expect(c.code).toMatch(/^SPRING-[A-HJKMNP-Z2-9]{8}$/);
      expect(c).toMatchObject({ expires_on: expires, discount_percent: 15 });
      const to = owners[ids.indexOf(c.message_id)];
      expect(mailTo(to)).toHaveLength(1);
      expect(mailTo(to)[0].text).toContain(c.code);
    }
  });
});

describe('the WEBHOOK channel', () => {
  it('hands the message to the sender own endpoints as outreach.message, under the same rules', async () => {
    const types = dataOf(await gql(t, shop.staff, EVENT_TYPES)).webhookEventTypes;
    const type = types.find((e: { name: string }) => e.name === 'outreach.message');
    expect(type.dataSchema.$defs.OutreachMessageEvent.properties).toHaveProperty('recipient');

    const created = dataOf(
      await gql(t, shop.admin, CREATE_ENDPOINT, {
        input: { url: receiver.urlOf('outreach'), eventTypes: ['outreach.message'] },
      }),
    ).createWebhookEndpoint;
    const j = await journey({
      kind: 'COUPON',
      purpose: 'MARKETING',
      channel: 'WEBHOOK',
      coupon: {
        prefix: 'HOOK',
        discountPercent: null,
        discountAmount: '20.00',
        discountCurrency: 'EUR',
        validDays: 10,
      },
    });
    const to = address();
    const unitId = await unitOf({ email: to, marketingConsent: true, locale: 'it' });
    const id = await queue(j, unitId);
    const withoutConsent = await queue(j, await unitOf({ marketingConsent: false }));
    await sender.sendDue(at(0));

    expect(await message(id)).toMatchObject({ status: 'SENT', recipient: to, locale: 'it', email_message_id: null });
    expect((await message(withoutConsent)).suppression_reason).toBe('NO_MARKETING_CONSENT');
    expect(mailTo(to)).toHaveLength(0);
    const deliveries: { id: string; endpoint_id: string }[] = await db.query(
      `SELECT id, endpoint_id FROM webhook_deliveries WHERE event_type = 'outreach.message' AND organization_id = $1`,
      [shop.id],
    );
    expect(deliveries).toHaveLength(1);
    await t.app.get(WebhookDispatcher).attemptNow(deliveries[0].id);
    const [received] = await receiver.waitFor(1, (m) => m.json.type === 'outreach.message');
    WebhookReceiver.verify(received, created.secret);
    const [coupon] = await db.query(`SELECT code FROM coupons WHERE message_id = $1`, [id]);
    expect(received.json.data).toMatchObject({
      id,
      journeyId: j,
      unitId,
      kind: 'COUPON',
      recipient: to,
      locale: 'it',
      subject: (await message(id)).subject,
      coupon: { code: coupon.code, discountPercent: null, discountAmount: { amount: '20.00', currency: 'EUR' } },
    });
    expect(received.json.data.text).toContain(coupon.code);
    expect(links.verify(tokensIn(received.json.data.links.unsubscribe)[0])).toMatchObject({ page: 'unsubscribe' });
  });
});

describe('the WEBHOOK channel without an endpoint', () => {
  it('fails the message, issuing no coupon, when the sender has no enabled endpoint taking outreach.message', async () => {
    // the manufacturer has no webhook endpoint at all
    const j = await journey({
      kind: 'COUPON',
      purpose: 'MARKETING',
      channel: 'WEBHOOK',
      senderId: maker.id,
      coupon: { prefix: 'NONE', discountPercent: 10, discountAmount: null, discountCurrency: null, validDays: 10 },
    });
    const id = await queue(j, await unitOf({ marketingConsent: true }));
    await sender.sendDue(at(0));

    const row = await message(id);
    expect(row).toMatchObject({ status: 'FAILED', sent_at: null });
    expect(row.last_error).toBe('no enabled webhook endpoint of the sender takes outreach.message');
    expect(await db.query(`SELECT code FROM coupons WHERE message_id = $1`, [id])).toEqual([]);
    const deliveries = await db.query(
      `SELECT id FROM webhook_deliveries WHERE event_type = 'outreach.message' AND organization_id = $1`,
      [maker.id],
    );
    expect(deliveries).toEqual([]);
  });
});

describe('a journey switched off', () => {
  it('sends none of its waiting messages, and does not send them when switched on again', async () => {
    const journeys = t.app.get(JourneysService);
    const ctx = { caller: callerOf(shop, 'RETAILER'), correlationId: 'test' };
    const j = await journey();
    const to = address();
    const id = await queue(j, await unitOf({ email: to }));
    expect(await journeys.update(ctx, { id: j, expectedVersion: 1, active: false })).toMatchObject({ active: false });
    await sender.sendDue(at(0));
    expect(await message(id)).toBeUndefined();
    expect(await journeys.update(ctx, { id: j, expectedVersion: 2, active: true })).toMatchObject({ active: true });
    await sender.sendDue(at(1));
    expect(mailTo(to)).toHaveLength(0);
  });

  it('is skipped by the sender while it is off, even for a message recorded meanwhile', async () => {
    const j = await journey();
    const id = await queue(j, await unitOf());
    await db.query(`UPDATE outreach_journeys SET active = false WHERE id = $1`, [j]);
    await sender.sendDue(at(0));
    expect(await message(id)).toMatchObject({ status: 'QUEUED', attempts: 0 });
  });
});

describe('who the message goes to', () => {
  it('goes to the new owner after a transfer of ownership', async () => {
    const j = await journey();
    const previous = address('previous');
    const next = address('next');
    const unitId = await unitOf({ email: previous, name: 'Old Owner' });
    const id = await queue(j, unitId);
    const res = dataOf(
      await gql(t, maker.staff, TRANSFER, { input: { unitId, newOwner: { name: 'New Owner', email: next } } }),
    );
    expect(res.transferOwnership.__typename).toBe('Unit');
    await sender.sendDue(at(0));
    expect((await message(id)).recipient).toBe(next);
    expect(mailTo(previous)).toHaveLength(0);
    expect(mailTo(next)[0].text).toContain('New Owner');
  });
});

describe('previewOutreach', () => {
  it('renders what the journey would send, storing nothing, with a sample coupon code', async () => {
    const preview = t.app.get(OutreachPreview);
    const j = await journey({
      kind: 'COUPON',
      purpose: 'MARKETING',
      coupon: { prefix: 'PEEK', discountPercent: 10, discountAmount: null, discountCurrency: null, validDays: 5 },
    });
    const unitId = await unitOf({ name: 'Greta', locale: 'sv' });
    const [{ n: before }] = await db.query(`SELECT count(*)::int AS n FROM coupons`);
    const rendered = await preview.render(callerOf(shop, 'RETAILER'), j, unitId);
    expect(rendered.text).toContain('PEEK-XXXXXXXX');
    expect(rendered.text).toContain('Greta');
    expect(rendered.html).toContain('lang="sv"');
    const english = await preview.render(callerOf(shop, 'RETAILER'), j, unitId, 'en-GB');
    expect(english.html).toContain('lang="en"');
    // the owner's page is a real link (about no message); the message's own links lead to no message
    const info = await preview.render(callerOf(shop, 'RETAILER'), await journey(), unitId);
    const infoLinks = tokensIn(info.text).map((token) => links.verify(token));
    expect(infoLinks.find((l) => l?.page === 'unit')).toMatchObject({ objectId: unitId, messageId: null });
    const unsubscribe = infoLinks.find((l) => l?.page === 'unsubscribe');
    expect(await db.query(`SELECT id FROM outreach_messages WHERE id = $1`, [unsubscribe?.objectId])).toHaveLength(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM coupons`))[0].n).toBe(before);
    expect(await db.query(`SELECT id FROM outreach_messages WHERE journey_id = $1`, [j])).toHaveLength(0);
  });

  it('is NOT_FOUND for another organization journey or a unit outside the audience, and refuses a bad locale', async () => {
    const preview = t.app.get(OutreachPreview);
    const j = await journey();
    const unitId = await unitOf();
    await expect(preview.render(callerOf(maker, 'MANUFACTURER'), j, unitId)).rejects.toMatchObject({
      category: 'NOT_FOUND',
    });
    const otherShop = await createTenant(t, 'RETAILER');
    const notSold = await journey({ senderId: otherShop.id });
    await expect(preview.render(callerOf(otherShop, 'RETAILER'), notSold, unitId)).rejects.toMatchObject({
      category: 'NOT_FOUND',
    });
    const lamps = await journey({ productCategories: ['LAMP'] });
    await expect(preview.render(callerOf(shop, 'RETAILER'), lamps, unitId)).rejects.toMatchObject({
      category: 'NOT_FOUND',
    });
    await expect(preview.render(callerOf(shop, 'RETAILER'), j, unitId, 'not a tag!')).rejects.toMatchObject({
      category: 'BAD_USER_INPUT',
    });
  });
});

describe('two replicas', () => {
  const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
  if (!process.env.TEST_DATABASE_URL)
    console.log('outreach-sending: two replicas need a shared PostgreSQL (TEST_DATABASE_URL); skipped');

  onPostgres(
    'send each message once, and only one MARKETING message to an address within the cap',
    async () => {
      const second: NestFastifyApplication = await createApp(t.config);
      try {
        const other = second.get(OutreachSender);
        const j = await journey();
        const owners = Array.from({ length: 30 }, () => address('race'));
        const ids: string[] = [];
        for (const to of owners) ids.push(await queue(j, await unitOf({ email: to })));
        // one address, two MARKETING journeys due at once
        const capped = address('capped');
        const unitId = await unitOf({ email: capped, marketingConsent: true });
        const racing = [
          await queue(await journey({ kind: 'GREETING', purpose: 'MARKETING' }), unitId),
          await queue(await journey({ kind: 'SURVEY', purpose: 'MARKETING' }), unitId),
        ];
        await Promise.all([sender.sendDue(at(0)), other.sendDue(at(0)), sender.sendDue(at(0)), other.sendDue(at(0))]);
        for (const id of ids) expect((await message(id)).status).toBe('SENT');
        for (const to of owners) expect(mailTo(to)).toHaveLength(1);
        const statuses = (await Promise.all(racing.map(message))).map((m) => m.suppression_reason ?? m.status).sort();
        expect(statuses).toEqual(['FREQUENCY_CAP', 'SENT']);
        expect(mailTo(capped)).toHaveLength(1);
      } finally {
        await second.close();
      }
    },
    60_000,
  );
});
