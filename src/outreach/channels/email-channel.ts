import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type SendMailOptions, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { APP_CONFIG, type AppConfig, type OutreachConfig } from '../../config/config.js';
import { classifyFailure, credentialsOf, type EmailOutcome } from './email-failure.js';
import { isSingleAddress, mailOptions, messageIdHeader, type OutgoingEmail } from './email-message.js';

export type { EmailOutcome } from './email-failure.js';
export type { OutgoingEmail } from './email-message.js';

/**
 * How long each step may take, so a frozen or trickling server cannot hold the sender: a query
 * parameter of SMTP_URL overrides any of them (`?greetingTimeout=5000`, as nodemailer reads it).
 */
const SMTP_DEFAULTS: SMTPPoolOptions = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
  maxConnections: 5,
};

type Smtp = { transport: Transporter; deadlineMs: number; secrets: string[]; where: string };

/**
 * The EMAIL channel (docs/outreach.md, "Channels"): over SMTP_URL with a pool of connections, or,
 * without it, each message written as an .eml file under `<mailDir>/<yyyy-mm-dd>/<messageId>.eml`.
 */
@Injectable()
export class EmailChannel implements OnModuleDestroy {
  private readonly outreach: OutreachConfig;
  private readonly smtp: Smtp | null;
  private readonly files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.outreach = config.outreach;
    this.smtp = config.outreach.smtpUrl ? openSmtp(config.outreach.smtpUrl) : null;
  }

  /** The start-up log line: where mail goes, never the credentials. */
  describe(): string {
    if (this.smtp) return `outreach mail: SMTP ${this.smtp.where}`;
    return `outreach mail: SMTP_URL is not set, writing .eml files under ${this.outreach.mailDir}`;
  }

  async send(mail: OutgoingEmail): Promise<EmailOutcome> {
    const messageId = messageIdHeader(mail.messageId, this.outreach.publicUrl);
    if (!isSingleAddress(mail.to)) return { kind: 'refused', error: 'not a single email address' };
    const options = mailOptions(mail, this.outreach.from, messageId);
    if (!this.smtp) return this.writeFile(mail.messageId, options);
    try {
      await this.smtp.transport.sendMail({ ...options, signal: AbortSignal.timeout(this.smtp.deadlineMs) });
      return { kind: 'sent', emailMessageId: messageId };
    } catch (error) {
      return classifyFailure(error, this.smtp.secrets);
    }
  }

  onModuleDestroy(): void {
    this.smtp?.transport.close();
  }

  /** Written under a temporary name and renamed, so a reader never sees half a message. */
  private async writeFile(messageId: string, options: SendMailOptions): Promise<EmailOutcome> {
    const dir = join(this.outreach.mailDir, new Date().toISOString().slice(0, 10));
    const path = join(dir, `${messageId.toLowerCase()}.eml`);
    const temporary = join(dir, `.${messageId.toLowerCase()}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const info = await this.files.sendMail(options);
      await mkdir(dir, { recursive: true });
      await writeFile(temporary, info.message as Buffer);
      await rename(temporary, path);
      return { kind: 'sent', emailMessageId: String(options.messageId) };
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      return { kind: 'temporary', error: `could not write the .eml file: ${(error as Error).message}` };
    }
  }
}

function openSmtp(smtpUrl: string): Smtp {
  const options: SMTPPoolOptions = { ...SMTP_DEFAULTS, ...parseConnectionUrl(smtpUrl), pool: true };
  const secure = options.secure === true;
  const port = options.port ?? (secure ? 465 : 587);
  // a trickling server resets the socket timeout with every byte: the whole send has a deadline too
  const deadlineMs =
    Number(options.connectionTimeout) + Number(options.greetingTimeout) + 2 * Number(options.socketTimeout) || 80_000;
  return {
    transport: nodemailer.createTransport(options),
    deadlineMs,
    secrets: credentialsOf(smtpUrl),
    where: `${secure ? 'smtps' : 'smtp'}://${options.host}:${port}`,
  };
}
