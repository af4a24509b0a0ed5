import type { SendMailOptions } from 'nodemailer';

/** One message for one owner, already rendered; `messageId` is our outreach message's uuid. */
export interface OutgoingEmail {
  messageId: string;
  to: string;
  /** The sending organization's name, shown as the From display name. */
  senderName: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
  /** The one-click unsubscribe link (RFC 8058), also in the body. */
  unsubscribeUrl: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// one address, nothing that could make it a list, a group or a second header line
const SINGLE_ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+$/u;
const BCP47 = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
// control, format (bidi overrides, zero-width) and line/paragraph separators: never in a header
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
const HAS_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export function isSingleAddress(address: string): boolean {
  return SINGLE_ADDRESS.test(address) && !HAS_INVISIBLE.test(address);
}

/** A header's text on one line: no control or invisible characters, spaces collapsed, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  return [...text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim()].slice(0, max).join('').trim();
}

/** The Message-ID header: our message's uuid at the public host, so replies and bounces name it. */
export function messageIdHeader(messageId: string, publicUrl: string): string {
  if (!UUID.test(messageId)) throw new Error('an outgoing email needs the uuid of its outreach message');
  return `<${messageId.toLowerCase()}@${new URL(publicUrl).hostname}>`;
}

/**
 * What nodemailer gets: the display name as an address object (nodemailer quotes or MIME-encodes
 * it, so quotes, angle brackets or markup in an organization's name stay text); the envelope set
 * explicitly, so only `to` ever receives it; no file or URL content can be pulled in.
 */
export function mailOptions(mail: OutgoingEmail, from: string, messageId: string): SendMailOptions {
  const locale = BCP47.test(mail.locale) ? { 'Content-Language': mail.locale } : {};
  const name = oneLine(mail.senderName, 100);
  return {
    from: name ? { name, address: from } : from,
    to: { name: '', address: mail.to },
    envelope: { from, to: [mail.to] },
    subject: oneLine(mail.subject, 400),
    text: mail.text,
    html: mail.html,
    messageId,
    date: new Date(),
    list: { unsubscribe: mail.unsubscribeUrl },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', ...locale },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
