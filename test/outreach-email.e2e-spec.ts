import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { loadConfig } from '../src/config/config.js';
import { EmailChannel, type OutgoingEmail } from '../src/outreach/channels/email-channel.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

const HOSTILE_NAME = 'Ünïcode "Shop" <script>alert(1)</script>\r\nBcc: victim@example.com';

function channel(env: Record<string, string>): EmailChannel {
  return new EmailChannel(
    loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: 'memory://mail-test',
      OUTREACH_FROM: 'outreach@aftercare.example',
      PUBLIC_URL: 'https://care.shop.example',
      ...env,
    }),
  );
}

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: randomUUID(),
    to: 'owner@example.com',
    senderName: 'Bottega Rossi',
    subject: 'La garanzia del tuo prodotto',
    text: 'Ciao Anna,\n\nla garanzia vale fino al 10 marzo 2028.\n\nDisiscriviti: https://care.shop.example/o/abc',
    html: '<!doctype html><html lang="it"><body><p>Ciao Anna,</p><p>la garanzia vale fino al 10 marzo 2028.</p></body></html>',
    locale: 'it',
    unsubscribeUrl: 'https://care.shop.example/o/unsubscribe-token',
    ...overrides,
  };
}

const header = (mail: ParsedMail, name: string) =>
  mail.headerLines.filter((h) => h.key === name.toLowerCase()).map((h) => h.line);

/** A TCP server that takes connections and never says a word (a frozen SMTP server). */
async function silentServer(): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server, sockets };
}

async function closeServer(s: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

describe('EMAIL channel over SMTP', () => {
  let sink: SmtpSink;
  let mail: EmailChannel;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mail = channel({ SMTP_URL: sink.url });
  });
  afterAll(async () => {
    mail.onModuleDestroy();
    await sink.close();
  });

  it('delivers text and html with the one-click unsubscribe, Message-ID, language and the sender as display name', async () => {
    const out = email({ senderName: HOSTILE_NAME });
    const outcome = await mail.send(out);
    const expectedId = `<${out.messageId}@care.shop.example>`;
    expect(outcome).toEqual({ kind: 'sent', emailMessageId: expectedId });

    const [received] = await sink.waitFor(1);
    expect(received.messageId).toBe(expectedId);
    expect(header(received, 'List-Unsubscribe')).toEqual([`List-Unsubscribe: <${out.unsubscribeUrl}>`]);
    expect(header(received, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(header(received, 'Content-Language')).toEqual(['Content-Language: it']);
    expect(received.subject).toBe(out.subject);
    expect(received.text?.trim()).toBe(out.text);
    expect(received.html).toBe(out.html);

    // the name is one display name, on one line, decoded back to the same text; nothing became a header
    expect(received.from?.value).toEqual([
      {
        name: 'Ünïcode "Shop" <script>alert(1)</script> Bcc: victim@example.com',
        address: 'outreach@aftercare.example',
      },
    ]);
    expect(received.bcc).toBeUndefined();
    expect(header(received, 'Bcc')).toEqual([]);
    expect(header(received, 'From').join('\n')).not.toMatch(/<script>|[\r\n]Bcc/i);
    expect((received.to as { value: unknown[] }).value).toEqual([{ name: '', address: 'owner@example.com' }]);
    expect(sink.envelopes[0]).toEqual({ mailFrom: 'outreach@aftercare.example', rcptTo: ['owner@example.com'] });
  });

  it('a 451 is temporary, and the next message goes through', async () => {
    const before = sink.messages.length;
    sink.failNext(1, 451);
    const outcome = await mail.send(email());
    expect(outcome).toEqual({ kind: 'temporary', error: expect.stringMatching(/^DATA: 451 4\.3\.0 Try again later/) });
    expect(await mail.send(email())).toMatchObject({ kind: 'sent' });
    await sink.waitFor(before + 1);
    expect(sink.messages).toHaveLength(before + 1);
  });

  it('a 550 for the recipient is a refusal, and nothing is delivered', async () => {
    const before = sink.messages.length;
    sink.refuseRecipient('Gone@Example.com', 550);
    const outcome = await mail.send(email({ to: 'gone@example.com' }));
    expect(outcome).toEqual({ kind: 'refused', error: expect.stringMatching(/^RCPT TO: 550 5\.1\.1/) });
    expect(sink.messages).toHaveLength(before);
  });

  it('a 5xx that refuses the message, not the mailbox, is temporary: the address is not to blame', async () => {
    sink.failNext(1, 554);
    expect(await mail.send(email())).toEqual({ kind: 'temporary', error: expect.stringMatching(/^DATA: 554 5\.7\.1/) });
  });

  it('an address that is not exactly one mailbox is refused without a word to the server', async () => {
    const before = sink.envelopes.length;
    for (const to of [
      'owner@example.com, thief@example.net',
      'Owner <owner@example.com>',
      'owner@example.com\r\nBcc: x@y.z',
      'no-at-sign',
    ]) {
      expect(await mail.send(email({ to }))).toEqual({ kind: 'refused', error: 'not a single email address' });
    }
    expect(sink.envelopes).toHaveLength(before);
  });

  it('leaves Content-Language out rather than send a malformed one', async () => {
    const before = sink.messages.length;
    await mail.send(email({ locale: 'it\r\nX-Evil: 1' }));
    const received = (await sink.waitFor(before + 1))[before];
    expect(header(received, 'Content-Language')).toEqual([]);
    expect(header(received, 'X-Evil')).toEqual([]);
  });
});

describe('EMAIL channel: servers that fail', () => {
  it('a server that never answers is temporary within the timeout, and the error carries no credentials', async () => {
    const silent = await silentServer();
    const mail = channel({
      // the greeting's timeout first: with all three at 300 ms, a loaded machine let the socket's fire first
      SMTP_URL: `smtp://mailuser:s3cr3t-pa55@127.0.0.1:${silent.port}?greetingTimeout=300&connectionTimeout=1000&socketTimeout=1000`,
    });
    try {
      const started = Date.now();
      const outcome = await mail.send(email());
      expect(Date.now() - started).toBeLessThan(3000);
      expect(outcome).toEqual({ kind: 'temporary', error: expect.stringMatching(/greeting/i) });
      expect(JSON.stringify(outcome)).not.toMatch(/s3cr3t|mailuser/);
      expect(mail.describe()).toBe(`outreach mail: SMTP smtp://127.0.0.1:${silent.port}`);
    } finally {
      mail.onModuleDestroy();
      await closeServer(silent);
    }
  });

  it('a server that trickles its replies (the socket never idles) is cut off at the deadline', async () => {
    const trickle = await silentServer();
    trickle.server.removeAllListeners('connection');
    trickle.server.on('connection', (socket: Socket) => {
      trickle.sockets.push(socket);
      socket.on('error', () => undefined);
      socket.write('220 slow.example ESMTP\r\n');
      socket.once('data', () => {
        const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('2')), 50);
      });
    });
    const mail = channel({
      SMTP_URL: `smtp://127.0.0.1:${trickle.port}?greetingTimeout=200&connectionTimeout=200&socketTimeout=200`,
    });
    try {
      const started = Date.now();
      const outcome = await mail.send(email());
      expect(outcome.kind).toBe('temporary');
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      mail.onModuleDestroy();
      await closeServer(trickle);
    }
  });

  it('a refused connection is temporary', async () => {
    const closed = await silentServer();
    await closeServer(closed);
    const mail = channel({ SMTP_URL: `smtp://127.0.0.1:${closed.port}` });
    try {
      expect(await mail.send(email())).toEqual({ kind: 'temporary', error: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      mail.onModuleDestroy();
    }
  });
});

describe('EMAIL channel over smtps://', () => {
  it('delivers over implicit TLS (a self-signed certificate, trusted through the URL)', async () => {
    const sink = await startSmtpSink({ secure: true });
    const mail = channel({ SMTP_URL: `${sink.url}?tls.rejectUnauthorized=false` });
    try {
      expect(sink.url).toMatch(/^smtps:/);
      expect(await mail.send(email())).toMatchObject({ kind: 'sent' });
      const [received] = await sink.waitFor(1);
      expect(header(received, 'List-Unsubscribe-Post')).toHaveLength(1);
    } finally {
      mail.onModuleDestroy();
      await sink.close();
    }
  });

  it('does not trust a self-signed certificate unless told to', async () => {
    const sink = await startSmtpSink({ secure: true });
    const mail = channel({ SMTP_URL: sink.url });
    try {
      expect(await mail.send(email())).toMatchObject({ kind: 'temporary' });
      expect(sink.messages).toHaveLength(0);
    } finally {
      mail.onModuleDestroy();
      await sink.close();
    }
  });
});

describe('EMAIL channel without SMTP_URL', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'aftercare-mail-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes each message as a parseable .eml file under <mailDir>/<yyyy-mm-dd>/<messageId>.eml', async () => {
    const mail = channel({ MAIL_DIR: dir });
    expect(mail.describe()).toBe(`outreach mail: SMTP_URL is not set, writing .eml files under ${dir}`);
    const out = email({ senderName: HOSTILE_NAME, locale: 'sv' });
    const outcome = await mail.send(out);
    expect(outcome).toEqual({ kind: 'sent', emailMessageId: `<${out.messageId}@care.shop.example>` });

    const day = new Date().toISOString().slice(0, 10);
    expect(await readdir(join(dir, day))).toEqual([`${out.messageId}.eml`]); // no temporary file left
    const raw = await readFile(join(dir, day, `${out.messageId}.eml`));
    expect(raw.toString('latin1')).toMatch(/^[\x20-\x7e\r\n\t]*$/); // 7-bit, as a mail file should be
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(`<${out.messageId}@care.shop.example>`);
    expect(parsed.to && 'value' in parsed.to && parsed.to.value[0].address).toBe('owner@example.com');
    expect(parsed.from?.value[0].name).toBe('Ünïcode "Shop" <script>alert(1)</script> Bcc: victim@example.com');
    expect(header(parsed, 'List-Unsubscribe')).toEqual([`List-Unsubscribe: <${out.unsubscribeUrl}>`]);
    expect(header(parsed, 'Content-Language')).toEqual(['Content-Language: sv']);
    expect(parsed.text?.trim()).toBe(out.text);
    expect(parsed.html).toBe(out.html);
  });

  it('cannot be steered outside the directory: the message id must be a uuid', async () => {
    const mail = channel({ MAIL_DIR: dir });
    await expect(mail.send(email({ messageId: '../../etc/passwd' }))).rejects.toThrow(/uuid/);
  });

  it('a directory it cannot write to is temporary', async () => {
    const notADirectory = join(dir, 'a-file');
    await writeFile(notADirectory, '');
    const mail = channel({ MAIL_DIR: notADirectory });
    expect(await mail.send(email())).toEqual({ kind: 'temporary', error: expect.stringMatching(/\.eml file/) });
  });
});
