import { tmpdir } from 'node:os';
import { parseAllowHosts, type AllowedHost } from '../webhooks/webhook-address.js';
import { parseRetrySchedule } from '../webhooks/retry-schedule.js';

/**
 * Typed configuration, read once from the environment and validated: a bad value stops the
 * server at start with a message that names the variable.
 */
export interface AppConfig {
  nodeEnv: string;
  isProduction: boolean;
  host: string;
  port: number;
  logLevel: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /**
   * Read replicas of the PostgreSQL database (streaming standbys) and the most a replica may lag
   * behind the primary and still serve reads (docs: README, "Scaling out").
   */
  replicas: { urls: string[]; maxLagMs: number };
  adminKey?: string;
  /**
   * PostgreSQL: the server stops a statement after statementTimeoutMs; the client gives up on a
   * query with no answer at all (a frozen network) after queryTimeoutMs, and on getting a
   * connection (a new one, or a free one from a busy pool) after connectTimeoutMs, so a stuck
   * database fails fast instead of holding requests.
   */
  db: { poolMax: number; statementTimeoutMs: number; queryTimeoutMs: number; connectTimeoutMs: number };
  graphql: { maxDepth: number; maxAliases: number; maxCost: number };
  http: { bodyLimitBytes: number; shutdownGraceMs: number };
  idempotencyTtlHours: number;
  /**
   * How long a claimed Idempotency-Key stays reserved for its request without news from it: the
   * serving replica renews the lease while the request runs, so only a dead request's key frees.
   */
  idempotencyLeaseSeconds: number;
  /** Requests a minute per API key and server replica; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How long a replica trusts an API key lookup; 0 looks every key up on every request. */
  authCacheSeconds: number;
  /**
   * Background work: how often a replica looks for due jobs and publishes the outbox (0: this
   * replica runs none, others do), how often it reads newly published events for its
   * subscribers, and how long published events are kept.
   */
  jobs: { pollMs: number; feedPollMs: number; outboxRetentionDays: number };
  /** GET /metrics (Prometheus): served or not, and the bearer token a scraper must send, if any. */
  metrics: { enabled: boolean; token?: string };
  /** Outbound webhooks (docs/webhooks.md). */
  webhooks: WebhooksConfig;
  /** Outreach to owners and the owner pages (docs/outreach.md). */
  outreach: OutreachConfig;
}

export interface OutreachConfig {
  /** smtp:// or smtps:// with credentials; absent: each message is written as an .eml file under mailDir. */
  smtpUrl?: string;
  /** The From address; the sender organization's name is its display name. */
  from: string;
  mailDir: string;
  /** How often a replica plans due occasions and sends queued messages. */
  intervalMs: number;
  /** A second MARKETING message to one address from one sender within this many days is suppressed. */
  marketingMinDays: number;
  /** How long temporary SMTP failures are retried before a message is FAILED. */
  retryHours: number;
  /** Owner links are this URL + /o/<token>. */
  publicUrl: string;
  /** The owner-link signing key; absent: one generated at first start and kept in the database. */
  ownerLinkSecret?: string;
  ownerLinkDays: number;
}

export interface WebhooksConfig {
  /** How long one attempt waits for an answer. */
  timeoutMs: number;
  /** The delay before each retry, in milliseconds; the delivery fails after the last. */
  retrySchedule: number[];
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterHours: number;
  retentionDays: number;
  /** Hosts that may be reached over http:// and at private addresses (development and tests). */
  allowHosts: AllowedHost[];
}

export class ConfigError extends Error {}

function smtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.SMTP_URL || undefined;
  if (url && !/^smtps?:\/\/[^/\s]+/.test(url)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  return url;
}

function publicUrl(env: NodeJS.ProcessEnv, port: number): string {
  const raw = env.PUBLIC_URL || `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an http:// or https:// URL, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new ConfigError(`PUBLIC_URL must be an http:// or https:// URL with no query, fragment or credentials`);
  }
  return raw.replace(/\/+$/, '');
}

/** The embedded default writes mail beside the database; an in-memory database has no directory, so a temporary one. */
function mailDir(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.MAIL_DIR) return env.MAIL_DIR;
  if (dataDir.startsWith('memory://'))
    return `${tmpdir()}/aftercare-mail/${dataDir.slice('memory://'.length) || 'memory'}`;
  return `${dataDir.replace(/\/+$/, '')}/mail`;
}

function outreachConfig(env: NodeJS.ProcessEnv, port: number, dataDir: string): OutreachConfig {
  return {
    smtpUrl: smtpUrl(env),
    from: env.OUTREACH_FROM || 'aftercare@localhost',
    mailDir: mailDir(env, dataDir),
    intervalMs: int(env, 'OUTREACH_INTERVAL_MS', 60000, 50, 3_600_000),
    marketingMinDays: int(env, 'OUTREACH_MARKETING_MIN_DAYS', 7, 0, 365),
    retryHours: int(env, 'OUTREACH_RETRY_HOURS', 24, 0, 24 * 30),
    publicUrl: publicUrl(env, port),
    ownerLinkSecret: secret(env, 'OWNER_LINK_SECRET'),
    ownerLinkDays: int(env, 'OWNER_LINK_DAYS', 365, 1, 3650),
  };
}

const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,14h,20h,24h';

function webhooksConfig(env: NodeJS.ProcessEnv): WebhooksConfig {
  const parse = <T>(name: string, fallback: string, read: (value: string) => T): T => {
    try {
      return read(env[name] || fallback);
    } catch (error) {
      throw new ConfigError(`${name}: ${(error as Error).message}`);
    }
  };
  return {
    timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 15000, 100, 120_000),
    retrySchedule: parse('WEBHOOK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE, parseRetrySchedule),
    disableAfterHours: int(env, 'WEBHOOK_DISABLE_AFTER_HOURS', 120, 1, 24 * 365),
    retentionDays: int(env, 'WEBHOOK_RETENTION_DAYS', 30, 1, 3650),
    allowHosts: parse('WEBHOOK_ALLOW_HOSTS', '', parseAllowHosts),
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** A shared secret, when given: long enough that it cannot be guessed. */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] || undefined;
  if (value !== undefined && value.length < 24) throw new ConfigError(`${name} must be at least 24 characters long`);
  return value;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_URL || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return url;
}

function replicaUrls(env: NodeJS.ProcessEnv): string[] {
  const urls = (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (urls.some((url) => !/^postgres(ql)?:\/\//.test(url))) {
    throw new ConfigError('DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// or postgresql:// URLs');
  }
  // a URL the driver cannot read would only show as a replica down for ever; the message never
  // repeats the URL (it may hold a password)
  urls.forEach((url, index) => {
    try {
      const parsed = new URL(url);
      decodeURIComponent(parsed.username);
      decodeURIComponent(parsed.password);
    } catch {
      throw new ConfigError(
        `DATABASE_REPLICA_URLS: entry ${index + 1} is not a valid URL (host, port up to 65535, percent-encoded user and password)`,
      );
    }
  });
  return urls;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: NodeJS.ProcessEnv, nodeEnv: string): string {
  const level = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(level)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${level}"`);
  }
  return level;
}

/** The database timeouts, in the order they must fire: connect, then the server's statement timeout, then the client's. */
function databaseTimeouts(env: NodeJS.ProcessEnv) {
  const statementTimeoutMs = int(env, 'DB_STATEMENT_TIMEOUT_MS', 15000, 100, 3_600_000);
  // a client that gave up first would leave the server running a statement it would have stopped
  const queryTimeoutMs = int(env, 'DB_QUERY_TIMEOUT_MS', statementTimeoutMs + 1000, 100, 3_700_000);
  if (queryTimeoutMs <= statementTimeoutMs) {
    throw new ConfigError(
      `DB_QUERY_TIMEOUT_MS (${queryTimeoutMs}) must be greater than DB_STATEMENT_TIMEOUT_MS (${statementTimeoutMs})`,
    );
  }
  const defaultConnectTimeoutMs = Math.min(5000, Math.floor(statementTimeoutMs / 2));
  const connectTimeoutMs = int(env, 'DB_CONNECT_TIMEOUT_MS', defaultConnectTimeoutMs, 100, 120_000);
  if (connectTimeoutMs >= statementTimeoutMs) {
    throw new ConfigError(
      `DB_CONNECT_TIMEOUT_MS (${connectTimeoutMs}) must be less than DB_STATEMENT_TIMEOUT_MS (${statementTimeoutMs})`,
    );
  }
  return { statementTimeoutMs, queryTimeoutMs, connectTimeoutMs };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  const url = databaseUrl(env);
  const adminKey = secret(env, 'AFTERCARE_ADMIN_KEY');
  const level = logLevel(env, nodeEnv);
  const timeouts = databaseTimeouts(env);
  const metricsToken = secret(env, 'METRICS_TOKEN');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const dataDir = env.DATA_DIR || './data';
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    host: env.HOST || '0.0.0.0',
    port,
    logLevel: level,
    databaseUrl: url,
    dataDir,
    adminKey,
    replicas: { urls: replicaUrls(env), maxLagMs: int(env, 'REPLICA_MAX_LAG_MS', 1000, 100, 3_600_000) },
    db: {
      poolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
      ...timeouts,
    },
    graphql: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30, 1, 1000),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 20000, 10, 1_000_000),
    },
    http: {
      bodyLimitBytes: int(env, 'HTTP_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
      shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600_000),
    },
    idempotencyTtlHours: int(env, 'IDEMPOTENCY_TTL_HOURS', 24, 24, 24 * 365),
    idempotencyLeaseSeconds: int(env, 'IDEMPOTENCY_LEASE_SECONDS', 30, 3, 3600),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    authCacheSeconds: int(env, 'AUTH_CACHE_SECONDS', 5, 0, 300),
    jobs: {
      pollMs: int(env, 'JOBS_POLL_MS', 200, 0, 600_000),
      feedPollMs: int(env, 'EVENT_FEED_POLL_MS', 200, 10, 600_000),
      outboxRetentionDays: int(env, 'OUTBOX_RETENTION_DAYS', 30, 1, 3650),
    },
    // production serves /metrics only behind a token unless METRICS_ENABLED=true says it outright
    metrics: {
      enabled: flag(env, 'METRICS_ENABLED', nodeEnv !== 'production' || metricsToken !== undefined),
      token: metricsToken,
    },
    webhooks: webhooksConfig(env),
    outreach: outreachConfig(env, port, dataDir),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
