import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { keepOrReadSecret } from './app-secrets.queries.js';

/**
 * The pages an owner link can open (docs/outreach.md, "Owner pages"). `repair` may approve or decline
 * the estimate (the link the owner gets: a repair slip, a message); `track` shows the same page and
 * nothing more (a link handed to anyone else who sees the ticket). New kinds go at the end: a
 * token holds a kind's position.
 */
export const OWNER_PAGES = ['unit', 'repair', 'survey', 'unsubscribe', 'preferences', 'review', 'track'] as const;
export type OwnerPage = (typeof OWNER_PAGES)[number];

/** What a valid link says: the page, its object, the message it came in (for click counting) and its last valid day. */
export interface OwnerLink {
  page: OwnerPage;
  objectId: string;
  messageId: string | null;
  /** YYYY-MM-DD (UTC): the link works through this day. */
  expiresOn: string;
}

/*
 * A token is the base64url of: version (1 byte) · page (1 byte, its index in OWNER_PAGES + 1) ·
 * object uuid (16) · message uuid (16, only when the link came in a message) · last valid day
 * (2, days since 1970-01-01 UTC, good until 2149) · HMAC-SHA256 of all that, first 16 bytes.
 * 128 bits of MAC are far beyond any online guessing and keep a link at 48 or 70 characters, short
 * enough for a line of a plain-text email (RFC 2104 allows truncating to half the hash). It names
 * objects by id only: never an email address or phone number.
 */
const VERSION = 1;
const MAC_BYTES = 16;
const BODY_BYTES = 1 + 1 + 16 + 2;
const WITH_MESSAGE_BYTES = BODY_BYTES + 16;
const TOKEN = /^(?:[A-Za-z0-9_-]{48}|[A-Za-z0-9_-]{70})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

const dayNumber = (at: Date) => Math.floor(at.getTime() / DAY_MS);

function uuidBytes(uuid: string, what: string): Buffer {
  if (!UUID.test(uuid)) throw new Error(`an owner link needs a uuid as its ${what}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const mac = (key: Buffer, body: Buffer) => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);

/** The token for a page of an object, valid through day `lastDay` (days since the epoch, UTC). */
export function signOwnerToken(
  key: Buffer,
  link: { page: OwnerPage; objectId: string; messageId?: string | null; lastDay: number },
): string {
  const page = OWNER_PAGES.indexOf(link.page) + 1;
  if (page === 0) throw new Error(`unknown owner page ${String(link.page)}`);
  const expiry = Buffer.alloc(2);
  expiry.writeUInt16BE(link.lastDay);
  const body = Buffer.concat([
    Buffer.from([VERSION, page]),
    uuidBytes(link.objectId, 'object'),
    ...(link.messageId ? [uuidBytes(link.messageId, 'message')] : []),
    expiry,
  ]);
  return Buffer.concat([body, mac(key, body)]).toString('base64url');
}

/** The link a token names, or null when it is malformed, tampered with, signed with another key or expired. */
export function readOwnerToken(key: Buffer, token: unknown, now: Date): OwnerLink | null {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const bytes = Buffer.from(token, 'base64url');
  // only the one spelling: the spare bits of a 70-character token's last character must be zero
  if (bytes.toString('base64url') !== token) return null;
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  if (!timingSafeEqual(mac(key, body), bytes.subarray(body.length))) return null;
  const page = OWNER_PAGES[body[1] - 1];
  const lastDay = body.readUInt16BE(body.length - 2);
  if (body[0] !== VERSION || !page || dayNumber(now) > lastDay) return null;
  return {
    page,
    objectId: uuidText(body.subarray(2, 18)),
    messageId: body.length === WITH_MESSAGE_BYTES ? uuidText(body.subarray(18, 34)) : null,
    expiresOn: new Date(lastDay * DAY_MS).toISOString().slice(0, 10),
  };
}

/**
 * Signs and reads owner links. The key is OWNER_LINK_SECRET, or one made at the first start and
 * kept in app_secrets, so every replica and every restart signs with the same key.
 */
@Injectable()
export class OwnerLinks implements OnModuleInit {
  private key: Buffer | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret =
      this.config.outreach.ownerLinkSecret ??
      (await keepOrReadSecret(this.db.manager, 'owner_link_key', randomBytes(32).toString('base64url')));
    this.key = Buffer.from(secret, 'utf8');
  }

  /**
   * `${PUBLIC_URL}/o/<token>`, valid for OWNER_LINK_DAYS from `now`, or through `notAfter` when that
   * is sooner: a link made on a page lives no longer than the link that opened it.
   */
  url(page: OwnerPage, objectId: string, opts: { messageId?: string; now?: Date; notAfter?: string } = {}): string {
    const fresh = dayNumber(opts.now ?? new Date()) + this.config.outreach.ownerLinkDays;
    const lastDay = opts.notAfter ? Math.min(fresh, dayNumber(new Date(`${opts.notAfter}T00:00:00Z`))) : fresh;
    const token = signOwnerToken(this.signingKey(), { page, objectId, messageId: opts.messageId, lastDay });
    return `${this.config.outreach.publicUrl}/o/${token}`;
  }

  verify(token: string, now: Date = new Date()): OwnerLink | null {
    return readOwnerToken(this.signingKey(), token, now);
  }

  private signingKey(): Buffer {
    if (!this.key) throw new Error('OwnerLinks used before its key was loaded (onModuleInit)');
    return this.key;
  }
}
