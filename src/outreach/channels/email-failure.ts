import type { NodemailerError } from 'nodemailer';

/** What became of one email: 'refused' is a permanent refusal of the recipient (the caller marks the address BOUNCED). */
export type EmailOutcome =
  { kind: 'sent'; emailMessageId: string } | { kind: 'temporary'; error: string } | { kind: 'refused'; error: string };

// RFC 3463 enhanced status codes that blame the mailbox itself: bad destination address (5.1.x),
// mailbox disabled (5.2.1)
const MAILBOX_STATUS = /\b5\.(1\.\d{1,3}|2\.1)\b/;

/**
 * A 5xx answer to RCPT TO, or a 5xx after DATA whose enhanced status blames the mailbox, refuses
 * the recipient for good. Every other failure is temporary: a 4xx, a connection that failed or
 * timed out, and also a 5xx about us (authentication, the sender address, the content): that is
 * our configuration's fault, not the owner's address, so it is retried (and in the end FAILED)
 * rather than marking the address bounced.
 */
export function classifyFailure(error: unknown, secrets: readonly string[]): EmailOutcome {
  const e = (error ?? {}) as NodemailerError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : 0;
  const permanent = code >= 500 && code !== 503;
  const aboutRecipient = e.command === 'RCPT TO' || (e.command === 'DATA' && MAILBOX_STATUS.test(e.response ?? ''));
  const text = failureText(e, secrets);
  return permanent && aboutRecipient ? { kind: 'refused', error: text } : { kind: 'temporary', error: text };
}

/**
 * One line saying what failed: the SMTP command and the server's reply, or the error's code and
 * message. The SMTP URL's user name and password are masked wherever they appear (a server may
 * echo the login back), control characters go, and it is short enough for a column.
 */
export function failureText(error: NodemailerError, secrets: readonly string[]): string {
  const reply = typeof error.response === 'string' && error.response ? error.response : undefined;
  const what = reply ?? `${typeof error.code === 'string' ? `${error.code}: ` : ''}${String(error.message ?? error)}`;
  let text = `${typeof error.command === 'string' ? `${error.command}: ` : ''}${what}`;
  for (const secret of secrets) if (secret) text = text.split(secret).join('***');
  return text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

/** The credentials of an SMTP URL in every spelling an error could quote them in. */
export function credentialsOf(smtpUrl: string | undefined): string[] {
  if (!smtpUrl) return [];
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return [];
  }
  const raw = [url.username, url.password].filter((part) => part.length > 0);
  const decoded = raw.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  // longest first, so a password that contains the user name is masked whole
  return [...new Set([...raw, ...decoded])].sort((a, b) => b.length - a.length);
}
