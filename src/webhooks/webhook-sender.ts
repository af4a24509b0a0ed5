import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, type AllowedHost, type Resolver, systemResolver } from './webhook-address.js';

/**
 * One attempt of one delivery: the URL checked again (its form and every address its host has
 * now), then a POST to the very address that was checked (the socket's lookup returns it, so a DNS
 * answer that changed in between cannot point the request inside). Redirects are not followed:
 * a 3xx is an answer like any other non-2xx. The body of the answer is read and dropped.
 */

export interface AttemptRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowedHosts: readonly AllowedHost[];
  resolve?: Resolver;
}

export interface AttemptOutcome {
  /** The status the receiver answered, or null when no answer came. */
  responseStatus: number | null;
  durationMs: number;
  /** Why the attempt failed, in words; null on a 2xx. */
  error: string | null;
  /** The Retry-After header of the answer, as sent. */
  retryAfter: string | undefined;
}

/**
 * Attempts a replica has open at most, slow ones included (the dispatcher's limit, beside those
 * per endpoint and organization). Large, so that a few dead endpoints, each holding its share
 * until the timeout, leave plenty for the others; an attempt waiting for an answer costs a socket
 * and a timer.
 */
export const MAX_OPEN_ATTEMPTS = 512;

/**
 * Connections: as many, in all and to one origin, as the dispatcher may have attempts open; an
 * idle one is closed after 5 s (receivers cannot hoard them). As many may wait idle as may be in
 * flight: closing the ones beyond a smaller cap between two claims cost a new connection each.
 */
const keepAlive = {
  keepAlive: true,
  maxSockets: MAX_OPEN_ATTEMPTS,
  maxTotalSockets: MAX_OPEN_ATTEMPTS,
  maxFreeSockets: MAX_OPEN_ATTEMPTS,
  timeout: 5000,
};
const agents = { 'http:': new http.Agent(keepAlive), 'https:': new https.Agent(keepAlive) };

/** A lookup that gives the socket the address we checked, whatever the resolver would say now. */
function pinnedLookup(address: string, family: number): LookupFunction {
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: object[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

export async function attemptDelivery(request: AttemptRequest): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // the address check (a DNS look-up) is part of the attempt's time: a slow resolver is a timeout too
  const resolve = request.resolve ?? systemResolver;
  const checked = await checkWebhookUrl(request.url, request.allowedHosts, (host) =>
    withTimeout(resolve(host), request.timeoutMs),
  );
  if ('reason' in checked) {
    return {
      responseStatus: null,
      durationMs: elapsed(),
      error: `URL refused: ${checked.reason}`,
      retryAfter: undefined,
    };
  }
  const [{ address, family }] = checked.addresses;
  try {
    const answer = await post(checked.url, pinnedLookup(address, family), request);
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      responseStatus: answer.status,
      durationMs: elapsed(),
      error: ok ? null : `answered ${answer.status}`,
      retryAfter: answer.retryAfter,
    };
  } catch (error) {
    return {
      responseStatus: null,
      durationMs: elapsed(),
      error: describeFailure(error, request.timeoutMs),
      retryAfter: undefined,
    };
  }
}

/** The promise, or a rejection once `ms` have passed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('look-up timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function post(
  url: URL,
  lookup: LookupFunction,
  request: AttemptRequest,
): Promise<{ status: number; retryAfter: string | undefined }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (res) => {
        const retryAfter = res.headers['retry-after'];
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, retryAfter });
        });
        res.resume();
      },
    );
    // the whole attempt, answer included, within the timeout (a plain timer: an AbortSignal each cost more)
    const timer = setTimeout(() => req.destroy(new TimedOut()), request.timeoutMs);
    function fail(error: unknown) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(request.body);
  });
}

const FAILURE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};
const TLS_REFUSALS = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

class TimedOut extends Error {
  override name = 'TimeoutError';
}

/** A failure in words for the delivery log: never the URL's secrets, the headers or the body. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'AbortError' || name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (!code) return 'request failed';
  if (TLS_REFUSALS.has(code)) return `TLS certificate refused (${code})`;
  return FAILURE_WORDS[code] ?? `request failed (${code})`;
}
