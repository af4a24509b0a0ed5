import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { rest } from './support/api.js';
import {
  buildOwnerWorld,
  findChromium,
  launchChromium,
  linkClicks,
  OWNER_EMAIL,
  sentMessage,
  seriousViolations,
  type HeadlessBrowser,
  type OwnerWorld,
} from './support/browser.js';
import { sqlQuery } from './support/input-helpers.js';
import { insertJourney, insertMessage } from './support/outreach-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { OutreachSender } from '../src/outreach/sending/outreach-sender.service.js';

/**
 * The owner pages in a real headless Chromium (playwright-core): each page opened from a real
 * link (one from an .eml the sender wrote), checked with axe-core, photographed at 360 and 1280
 * pixels for docs/screenshots; a survey answered, an estimate approved while the page follows the
 * ticket without reloading, an unsubscribe, the review redirect. Skipped, saying so, without Chromium.
 */
const chromiumPath = findChromium();
const describeWithChromium = chromiumPath ? describe : describe.skip;
if (!chromiumPath)
  console.info('owner pages browser tests skipped: no Chromium found (set CHROMIUM_PATH or install chromium)');

// the README shows docs/screenshots: refreshed with UPDATE_SCREENSHOTS=1, else taken into a scratch folder
// (every page is still rendered and photographed) so a test run does not rewrite tracked images
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? new URL('../docs/screenshots/', import.meta.url).pathname
  : mkdtempSync(join(tmpdir(), 'aftercare-screenshots-'));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithChromium('owner pages in a browser', () => {
  let t: TestApp;
  let w: OwnerWorld;
  let chrome: HeadlessBrowser;
  let origin: string;
  let mailDir: string;

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'aftercare-owner-mail-'));
    // the pages link to each other by PUBLIC_URL: the app listens where that says
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await startTestApp({ JOBS_POLL_MS: '0', MAIL_DIR: mailDir, PUBLIC_URL: origin });
    await t.app.listen(port, '127.0.0.1');
    w = await buildOwnerWorld(t);
    chrome = await launchChromium(chromiumPath!);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  const served = (url: string) => url;

  async function open(url: string, width = 1280): Promise<Page> {
    const context = await chrome.context(width);
    const page = await context.newPage();
    await page.goto(served(url));
    return page;
  }

  /** No serious or critical axe violation, and a screenshot at 360 and 1280 pixels. */
  async function checkAndPhotograph(url: string, name: string) {
    for (const width of [360, 1280]) {
      const page = await (width === 360 ? narrow : wide).newPage();
      await page.goto(url);
      expect(await seriousViolations(page)).toEqual([]);
      // nothing wider than the screen: usable at 360 px without sideways scrolling
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
      await page.close();
    }
  }

  let narrow: BrowserContext;
  let wide: BrowserContext;

  it('every page passes axe-core and is photographed at 360 and 1280 px', async () => {
    narrow = await chrome.context(360);
    wide = await chrome.context(1280);
    const survey = await sentMessage(t, w, w.journeys.csat, w.unitByLocale.en);
    const unsubscribe = await sentMessage(t, w, w.journeys.info, w.unitByLocale.en);
    await checkAndPhotograph(w.links.url('unit', w.unitByLocale.en), 'unit');
    await checkAndPhotograph(w.links.url('unit', w.unitByLocale.ru), 'unit-ru');
    await checkAndPhotograph(w.links.url('repair', w.ticket.id), 'repair');
    await checkAndPhotograph(w.links.url('survey', survey, { messageId: survey }), 'survey');
    await checkAndPhotograph(w.links.url('unsubscribe', unsubscribe, { messageId: unsubscribe }), 'unsubscribe');
    await checkAndPhotograph(w.links.url('preferences', unsubscribe), 'preferences');
    await checkAndPhotograph(`${origin}/o/not-a-valid-token`, 'not-valid');
    await narrow.close();
    await wide.close();
  }, 300_000);

  it('the same unit page in five languages: the lang attribute and the visible text change', async () => {
    const titles: Record<string, string> = {
      en: 'Your product',
      it: 'Il Suo prodotto',
      es: 'Su producto',
      ru: 'Ваш товар',
      sv: 'Din produkt',
    };
    for (const [locale, title] of Object.entries(titles)) {
      const page = await open(w.links.url('unit', w.unitByLocale[locale]));
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await page.textContent('h1')).toBe(title);
      await page.context().close();
    }
  }, 60_000);

  it('a survey answered with its buttons shows the thank-you page; answered again, the already-answered page', async () => {
    const messageId = await sentMessage(t, w, w.journeys.csat, w.unitByLocale.it, 'it');
    const page = await open(w.links.url('survey', messageId, { messageId }));
    await page.fill('textarea[name="comment"]', 'Ottimo servizio');
    await page.click('button[name="score"][value="5"]');
    await page.waitForSelector('text=La Sua risposta è stata registrata.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'survey-thanks-360.png') });
    // the link opened again: spent
    await page.goto(w.links.url('survey', messageId, { messageId }));
    expect(await page.textContent('h1')).toBe('Questo link non è valido');
    const rows = await sqlQuery(t, `SELECT score, comment FROM survey_responses WHERE message_id = $1`, [messageId]);
    expect(rows).toEqual([{ score: 5, comment: 'Ottimo servizio' }]);
    expect(await linkClicks(t, messageId)).toBe(2);
    await page.context().close();
  }, 60_000);

  it('approve an estimate on the tracking page, then watch the ticket move on without reloading', async () => {
    const page = await open(w.links.url('repair', w.ticket.id), 360);
    await page.click('button[value="approve"]');
    await page.waitForSelector('text=Thank you: your approval has been recorded.');
    const ticket = (await rest(t, w.center.staff).get(`/repair-tickets/${w.ticket.id}`)).body as {
      version: number;
      estimate: { approvedAt: string | null };
    };
    expect(ticket.estimate.approvedAt).not.toBeNull();
    await page.evaluate('window.stayed = true');
    const moved = await rest(t, w.center.staff).patch(`/repair-tickets/${w.ticket.id}`, {
      status: 'IN_REPAIR',
      expectedVersion: ticket.version,
    });
    expect(moved.status).toBe(200);
    await page.waitForSelector('#live .status:text("Being repaired")', { timeout: 15_000 });
    expect(await page.evaluate('window.stayed')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'repair-approved-360.png'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('unsubscribe with the page’s one button, then undo it on the preferences page', async () => {
    const messageId = await sentMessage(t, w, w.journeys.info, w.unitByLocale.sv, 'sv');
    const page = await open(w.links.url('unsubscribe', messageId, { messageId }));
    await page.click('button[value="unsubscribe"]');
    await page.waitForSelector('text=Du är avanmäld: Casa & Cucina skickar inga fler mejl till dig.');
    const state = async () =>
      (
        await sqlQuery(t, `SELECT unsubscribed_at FROM outreach_recipients WHERE sender_id = $1 AND address = $2`, [
          w.seller.id,
          OWNER_EMAIL.toLowerCase(),
        ])
      )[0]?.unsubscribed_at ?? null;
    expect(await state()).not.toBeNull();
    await page.click('text=Ångrat dig? Hantera dina mejlinställningar');
    await page.click('button[value="resubscribe"]');
    await page.waitForSelector('text=Klart: du får mejl från Casa & Cucina igen.');
    expect(await state()).toBeNull();
    await page.context().close();
  }, 60_000);

  it('the review link counts the click and lands on the review site', async () => {
    // the review site: a server of the test's own, named as the journey's review URL
    const site = createHttpServer((req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<p>${req.url}</p>`),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const reviewUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/write-a-review?product=frost-300`;
    const journeyId = await insertJourney(t, { senderId: w.seller.id, kind: 'REVIEW_REQUEST' });
    await sqlQuery(t, `UPDATE outreach_journeys SET review_url = $2 WHERE id = $1`, [journeyId, reviewUrl]);
    const messageId = await sentMessage(t, w, journeyId, w.unitByLocale.en);
    try {
      const page = await open(w.links.url('review', messageId, { messageId }));
      expect(page.url()).toBe(reviewUrl);
      expect(await page.textContent('p')).toBe('/write-a-review?product=frost-300');
      expect(await linkClicks(t, messageId)).toBe(1);
      await page.context().close();
    } finally {
      site.close();
    }
  }, 60_000);

  it('from a real .eml the sender wrote: its survey link opens the survey, its List-Unsubscribe takes the one-click POST', async () => {
    // the manufacturer's survey: the retailer's marketing messages of the other tests would cap this one
    const journeyId = await insertJourney(t, {
      senderId: w.maker.id,
      survey: { question: '¿Nos recomendaría?', scale: 'NPS', askComment: false },
    });
    const messageId = await insertMessage(t, {
      journeyId,
      senderId: w.maker.id,
      unitId: w.unitByLocale.es,
      status: 'QUEUED',
      recipient: null,
      locale: null,
      subject: null,
    });
    await t.app.get(OutreachSender).sendDue(new Date());
    const files = readdirSync(mailDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(`${messageId}.eml`));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(mailDir, files[0])));
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line ?? '';
    const unsubscribeUrl = /<([^>]+)>/.exec(header('list-unsubscribe'))![1];
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const surveyUrl = (mail.text ?? '').match(/https?:\/\/\S+\/o\/[\w-]+/g)!.find((u) => u !== unsubscribeUrl)!;
    const page = await open(surveyUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.click('button[name="score"][value="9"]');
    await page.waitForSelector('text=Hemos registrado su respuesta.');
    await page.context().close();
    // a mail client's one-click unsubscribe: a bare POST, no page
    const oneClick = await fetch(served(unsubscribeUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const [row] = await sqlQuery(
      t,
      `SELECT unsubscribed_at FROM outreach_recipients WHERE sender_id = $1 AND address = $2`,
      [w.maker.id, OWNER_EMAIL.toLowerCase()],
    );
    expect(row.unsubscribed_at).not.toBeNull();
  }, 60_000);
});
