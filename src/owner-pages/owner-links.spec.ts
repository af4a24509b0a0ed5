import { randomUUID } from 'node:crypto';
import { OWNER_PAGES, readOwnerToken, signOwnerToken } from './owner-links.js';

const key = Buffer.from('a-test-key-of-at-least-24-characters', 'utf8');
const now = new Date('2026-03-10T12:00:00Z');
const today = Math.floor(now.getTime() / 86_400_000);
const unitId = '0b6f3c1e-8d2a-4f5b-9c7d-1e2f3a4b5c6d';
const messageId = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

const token = (overrides: Partial<Parameters<typeof signOwnerToken>[1]> = {}) =>
  signOwnerToken(key, { page: 'unit', objectId: unitId, lastDay: today + 365, ...overrides });

/** The token with one byte of its decoded form changed. */
function flipByte(value: string, index: number): string {
  const bytes = Buffer.from(value, 'base64url');
  bytes[index] ^= 0x01;
  return bytes.toString('base64url');
}

describe('owner link tokens', () => {
  it('round-trips page, object, message and last day, for every page', () => {
    for (const page of OWNER_PAGES) {
      const link = readOwnerToken(key, token({ page, messageId }), now);
      expect(link).toEqual({ page, objectId: unitId, messageId, expiresOn: '2027-03-10' });
    }
    expect(readOwnerToken(key, token(), now)).toEqual({
      page: 'unit',
      objectId: unitId,
      messageId: null,
      expiresOn: '2027-03-10',
    });
  });

  it('is compact base64url: 48 characters, 70 with a message', () => {
    expect(token()).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(token({ messageId })).toMatch(/^[A-Za-z0-9_-]{70}$/);
  });

  it('rejects a token with any single byte changed', () => {
    for (const value of [token(), token({ messageId })]) {
      const length = Buffer.from(value, 'base64url').length;
      for (let i = 0; i < length; i++) expect(readOwnerToken(key, flipByte(value, i), now)).toBeNull();
    }
  });

  it('rejects another spelling of the same bytes (the spare bits of the last character)', () => {
    const value = token({ messageId });
    const last = value.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1];
    expect(Buffer.from(value.slice(0, -1) + sibling, 'base64url')).toEqual(Buffer.from(value, 'base64url'));
    expect(readOwnerToken(key, value.slice(0, -1) + sibling, now)).toBeNull();
  });

  it('works through its last day and not after', () => {
    const value = token({ lastDay: today });
    expect(readOwnerToken(key, value, new Date('2026-03-10T23:59:59.999Z'))).not.toBeNull();
    expect(readOwnerToken(key, value, new Date('2026-03-11T00:00:00Z'))).toBeNull();
  });

  it('rejects a token signed with another key', () => {
    const other = Buffer.from('another-key-of-at-least-24-characters', 'utf8');
    expect(readOwnerToken(other, token(), now)).toBeNull();
    expect(
      readOwnerToken(key, signOwnerToken(other, { page: 'unit', objectId: unitId, lastDay: today + 1 }), now),
    ).toBeNull();
  });

  it('opens only the page it names: a survey token is a survey link, never an unsubscribe', () => {
    const survey = readOwnerToken(key, token({ page: 'survey', objectId: messageId }), now);
    expect(survey?.page).toBe('survey');
    // the page byte is covered by the MAC: changing it to unsubscribe breaks the token
    const bytes = Buffer.from(token({ page: 'survey', objectId: messageId }), 'base64url');
    bytes[1] = OWNER_PAGES.indexOf('unsubscribe') + 1;
    expect(readOwnerToken(key, bytes.toString('base64url'), now)).toBeNull();
  });

  it('rejects malformed and oversized input without throwing', () => {
    const valid = token();
    const bad: unknown[] = [
      '',
      'x',
      valid.slice(0, -1),
      valid + 'A',
      valid.replace(/.$/, '='),
      `${valid.slice(0, 20)}+${valid.slice(21)}`,
      `${valid.slice(0, 20)}/${valid.slice(21)}`,
      `${valid.slice(0, 20)}.${valid.slice(21)}`,
      `${valid}%00`,
      'A'.repeat(48),
      'A'.repeat(70),
      'A'.repeat(1_000_000),
      '__proto__',
      null,
      undefined,
      42,
      { toString: () => valid },
    ];
    for (const value of bad) expect(readOwnerToken(key, value, now)).toBeNull();
  });

  it('carries ids only: no email address or phone can be read from it', () => {
    const value = token({ messageId });
    const bytes = Buffer.from(value, 'base64url');
    expect(bytes.length).toBe(52);
    // version, page, two uuids, the day and the MAC: every byte accounted for
    expect(bytes.subarray(2, 18).toString('hex')).toBe(unitId.replace(/-/g, ''));
    expect(bytes.subarray(18, 34).toString('hex')).toBe(messageId.replace(/-/g, ''));
    expect(bytes.subarray(34, 36).readUInt16BE()).toBe(today + 365);
  });

  it('refuses to sign anything but uuids and known pages', () => {
    expect(() => token({ objectId: 'owner@example.com' })).toThrow(/uuid/);
    expect(() => token({ messageId: 'not-a-uuid' })).toThrow(/uuid/);
    expect(() => token({ page: 'admin' as never })).toThrow(/unknown owner page/);
    expect(readOwnerToken(key, token({ objectId: randomUUID().toUpperCase() }), now)?.objectId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});
