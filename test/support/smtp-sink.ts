import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** The envelope a message came with (the headers can say otherwise). */
export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> (smtps:// when started with `secure`). */
  url: string;
  /** Every message accepted, parsed, in the order they arrived. */
  messages: ParsedMail[];
  /** The envelope of each message, same order as `messages`. */
  envelopes: Envelope[];
  /** Resolves once `n` messages have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** The next `n` messages are refused at the end of DATA with `code` (451: try later; 5xx: refused). */
  failNext(n: number, code?: number): void;
  /** RCPT TO this address (case-insensitive) is answered with `code` from now on. */
  refuseRecipient(address: string, code?: number): void;
  close(): Promise<void>;
}

/** An error smtp-server turns into the reply `code text`. */
function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * A real SMTP server on a random local port, as a mail relay would answer: it takes any sender,
 * no authentication needed (any credentials are accepted when given), and parses each message
 * with mailparser. `secure` makes it an implicit-TLS (smtps://) server with smtp-server's own
 * self-signed certificate for localhost, so clients must not verify it.
 */
export async function startSmtpSink(opts: { secure?: boolean } = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const envelopes: Envelope[] = [];
  const refused = new Map<string, number>();
  const failures: number[] = [];
  /** Each answers whether it is done (and then leaves the list). */
  let waiters: Array<() => boolean> = [];

  const server = new SMTPServer({
    secure: opts.secure ?? false,
    authOptional: true,
    disabledCommands: opts.secure ? [] : ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sink' }),
    onRcptTo: (address, _session, callback) => {
      const code = refused.get(address.address.toLowerCase());
      callback(code ? reply(code, `5.1.1 <${address.address}>: Recipient address rejected`) : null);
    },
    onData: (stream: SMTPServerDataStream, session, callback) => {
      void simpleParser(stream).then(
        (parsed) => {
          const code = failures.shift();
          if (code) return callback(reply(code, code < 500 ? '4.3.0 Try again later' : '5.7.1 Message rejected'));
          messages.push(parsed);
          envelopes.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((to) => to.address),
          });
          callback(null);
          waiters = waiters.filter((waiter) => !waiter());
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => undefined); // a client hanging up mid-session is not the test's failure

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const waitFor = (n: number, timeoutMs = 5000): Promise<ParsedMail[]> =>
    new Promise((resolve, reject) => {
      const arrived = () => {
        if (messages.length < n) return false;
        clearTimeout(timer);
        resolve(messages);
        return true;
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((waiter) => waiter !== arrived);
        reject(new Error(`waited ${timeoutMs} ms for ${n} messages, got ${messages.length}`));
      }, timeoutMs);
      if (!arrived()) waiters.push(arrived);
    });

  return {
    url: `${opts.secure ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    messages,
    envelopes,
    waitFor,
    failNext: (n, code = 451) => failures.push(...Array.from({ length: n }, () => code)),
    refuseRecipient: (address, code = 550) => void refused.set(address.toLowerCase(), code),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
