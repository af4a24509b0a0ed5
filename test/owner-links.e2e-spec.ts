import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OwnerLinks } from '../src/owner-pages/owner-links.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('owner links: the signing key', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ PUBLIC_URL: 'https://care.shop.example' })));
  afterAll(() => t.close());

  it('is made at the first start, kept in app_secrets, and every replica signs with it', async () => {
    const db = t.app.get(DataSource);
    const rows: Array<{ value: string }> = await db.query(
      `SELECT value FROM app_secrets WHERE name = 'owner_link_key'`,
    );
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0].value, 'base64url')).toHaveLength(32);

    const links = t.app.get(OwnerLinks);
    const unitId = randomUUID();
    const url = links.url('unit', unitId);
    expect(url).toMatch(/^https:\/\/care\.shop\.example\/o\/[A-Za-z0-9_-]{48}$/);

    // a second replica (or a restart) starting against the same database: same key, its links work here
    const replica = new OwnerLinks(t.config, db);
    await replica.onModuleInit();
    const token = url.slice(url.lastIndexOf('/') + 1);
    expect(replica.verify(token)).toMatchObject({ page: 'unit', objectId: unitId, messageId: null });
    const fromReplica = replica.url('survey', unitId, { messageId: unitId });
    expect(links.verify(fromReplica.slice(fromReplica.lastIndexOf('/') + 1))?.page).toBe('survey');
    expect(await db.query(`SELECT count(*)::int AS n FROM app_secrets WHERE name = 'owner_link_key'`)).toEqual([
      { n: 1 },
    ]);
  });

  it('OWNER_LINK_SECRET, when set, is the key instead: the kept one no longer verifies', async () => {
    const db = t.app.get(DataSource);
    const configured = new OwnerLinks(
      { ...t.config, outreach: { ...t.config.outreach, ownerLinkSecret: 'a-configured-owner-link-secret-0123' } },
      db,
    );
    await configured.onModuleInit();
    const url = t.app.get(OwnerLinks).url('unit', randomUUID());
    expect(configured.verify(url.slice(url.lastIndexOf('/') + 1))).toBeNull();
    const own = configured.url('unit', randomUUID());
    expect(configured.verify(own.slice(own.lastIndexOf('/') + 1))?.page).toBe('unit');
  });

  it('links expire after OWNER_LINK_DAYS', () => {
    const links = t.app.get(OwnerLinks);
    const issued = new Date('2026-01-01T10:00:00Z');
    const url = links.url('repair', randomUUID(), { now: issued });
    const token = url.slice(url.lastIndexOf('/') + 1);
    const lastDay = new Date(issued.getTime() + t.config.outreach.ownerLinkDays * 86_400_000);
    expect(links.verify(token, new Date(`${lastDay.toISOString().slice(0, 10)}T23:59:59Z`))?.page).toBe('repair');
    expect(links.verify(token, new Date(lastDay.getTime() + 86_400_000))).toBeNull();
  });
});
