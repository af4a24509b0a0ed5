import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { isMetricsRequest } from '../metrics/metrics-route.js';
import { sendEarlyError } from './hooks.js';

/**
 * Requests per minute, per API key (per client address for calls without a key), counted in
 * fixed one-minute windows by each server replica. Kept in memory on purpose: it protects the
 * replica it runs on and needs no round trip; with N replicas behind a balancer a key gets about
 * N times the limit, which is why the limit is per replica in the configuration.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when the caller is over the limit, or 0 when the request may go on. */
  take(identity: string): number {
    return this.consume(identity).retryAfter;
  }

  /**
   * Counts one request: the requests left in the window after it, the seconds until the window
   * ends, and the seconds to wait (0 when this request may go on).
   */
  consume(identity: string): { remaining: number; resetSeconds: number; retryAfter: number } {
    const now = this.now();
    const windowStart = now - (now % 60_000);
    let window = this.windows.get(identity);
    if (!window || window.start !== windowStart) {
      window = { start: windowStart, count: 0 };
      this.windows.set(identity, window);
    }
    window.count++;
    const resetSeconds = Math.ceil((windowStart + 60_000 - now) / 1000);
    return {
      remaining: Math.max(0, this.perMinute - window.count),
      resetSeconds,
      retryAfter: window.count > this.perMinute ? resetSeconds : 0,
    };
  }

  /** Forgets finished windows, so memory follows the callers of the last minute. */
  sweep(): void {
    const current = this.now() - (this.now() % 60_000);
    for (const [identity, window] of this.windows) if (window.start < current) this.windows.delete(identity);
  }
}

/** The one quota policy, named as the RateLimit field names it: perMinute requests in a 60 s window. */
const POLICY_NAME = 'default';

/** The RateLimit-Policy field (a Structured Fields list of one item): `"default";q=1200;w=60`. */
export const rateLimitPolicyField = (perMinute: number) => `"${POLICY_NAME}";q=${perMinute};w=60`;

/** The RateLimit field: the requests left under the policy and the seconds until its window ends, `"default";r=1187;t=42`. */
export const rateLimitField = (remaining: number, resetSeconds: number) =>
  `"${POLICY_NAME}";r=${remaining};t=${resetSeconds}`;

export function registerRateLimit(fastify: FastifyInstance, perMinute: number): void {
  if (perMinute <= 0) return;
  const limiter = new RateLimiter(perMinute);
  const policy = rateLimitPolicyField(perMinute);
  const sweeper = setInterval(() => limiter.sweep(), 60_000);
  sweeper.unref();
  fastify.addHook('onClose', async () => clearInterval(sweeper));
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/health/') || isMetricsRequest(req)) return;
    const authorization = req.headers.authorization;
    // the key itself is never kept: only a hash of it names its window
    const identity = authorization ? createHash('sha256').update(authorization).digest('base64url') : `ip:${req.ip}`;
    const { remaining, resetSeconds, retryAfter } = limiter.consume(identity);
    // every counted answer says where its caller stands (draft-ietf-httpapi-ratelimit-headers-11)
    reply.header('RateLimit-Policy', policy).header('RateLimit', rateLimitField(remaining, resetSeconds));
    if (retryAfter > 0) {
      reply.header('Retry-After', String(retryAfter));
      return sendEarlyError(
        req,
        reply,
        new DomainError(
          'RATE_LIMITED',
          `Too many requests: at most ${perMinute} a minute for one API key. Retry in ${retryAfter} s.`,
        ),
      );
    }
  });
}
