import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys are 32 random bytes, shown once. Only the SHA-256 is stored: for keys with this much
 * entropy a fast hash is right (no dictionary to guess from), and it allows lookup by hash.
 */
const KEY_PREFIX = 'ac_live_';

export function generateApiKeySecret(): { secret: string; prefix: string; hash: string } {
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: displayPrefix(secret), hash: hashApiKey(secret) };
}

/** The part that is safe to show, e.g. "ac_live_3f9a". */
export const displayPrefix = (secret: string) => secret.slice(0, KEY_PREFIX.length + 4);

export const hashApiKey = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
