import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks v1 signing (docs/webhooks.md, "A message"): a secret is `whsec_` and the
 * base64 of 32 random bytes; a signature is `v1,` and the base64 HMAC-SHA256, keyed with those
 * bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. Any Standard Webhooks library verifies it.
 */

const PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** The first characters of a secret, enough to tell two apart, never enough to use one. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 4);
}

export function signature(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`;
}

/** The webhook-signature header: one signature per live secret, space-separated (two after a rotation). */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => signature(secret, messageId, timestamp, body)).join(' ');
}
