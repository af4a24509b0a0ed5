import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may go (docs/webhooks.md, "Addresses a webhook may not reach"): https only, no
 * credentials, and every address the host resolves to public, unless the host is one the operator
 * allowed (WEBHOOK_ALLOW_HOSTS, for development and tests). Address classes come from ipaddr.js,
 * not from ranges written here: only its `unicast` class (public) passes, so loopback, private,
 * link-local (cloud metadata included), shared, unspecified, multicast, reserved, and the IPv6
 * forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are all refused.
 *
 * The WHATWG URL parser has already turned `0x7f000001`, `2130706433`, `0177.0.0.1` and `127.1`
 * into `127.0.0.1` before we look, so every spelling of an address is checked as that address.
 */

type AddressVerdict = { ok: true } | { ok: false; reason: string };

/** A host the operator allowed: `host` (any port) or `host:port`. */
export interface AllowedHost {
  host: string;
  port: number | null;
}

/** Parses WEBHOOK_ALLOW_HOSTS: comma-separated `host` or `host:port`; an IPv6 host in brackets. */
export function parseAllowHosts(value: string | undefined): AllowedHost[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => {
      const url = new URL(`http://${entry}`);
      if (url.pathname !== '/' || url.username || url.search) throw new Error(`"${entry}" is not a host or host:port`);
      return { host: url.hostname, port: url.port ? Number(url.port) : null };
    });
}

const defaultPort = (url: URL) => (url.protocol === 'https:' ? 443 : 80);

export function isAllowedHost(url: URL, allowed: readonly AllowedHost[]): boolean {
  const port = url.port ? Number(url.port) : defaultPort(url);
  return allowed.some((a) => a.host === url.hostname && (a.port === null || a.port === port));
}

/** The literal address in a URL's host, or null when the host is a name. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ipaddr.isValid(host) ? host : null;
}

const GLOBAL_UNICAST_IPV6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether an address is public: ipaddr.js's `unicast` class, IPv4-mapped IPv6 judged as its IPv4,
 * and any other IPv6 only inside the global unicast block 2000::/3 (so the old IPv4-compatible
 * form `::127.0.0.1`, which ipaddr.js calls unicast, is refused too).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST_IPV6);
}

/** The URL's form alone: scheme, credentials, host. No DNS. */
function checkUrlForm(raw: string, allowed: readonly AllowedHost[]): { url: URL } | { reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'is not an absolute URL' };
  }
  if (url.username || url.password) return { reason: 'must not carry a user name or password' };
  if (url.protocol === 'https:') return { url };
  if (url.protocol === 'http:') {
    return isAllowedHost(url, allowed) ? { url } : { reason: 'must use https:// (http:// only for allowed hosts)' };
  }
  return { reason: 'must use https://' };
}

/** Every address the resolver gives for a host must be public; one private answer refuses the host. */
/** The one refusal for a host's addresses: it names neither the addresses nor whether the host resolved, so the API never reports what the server's DNS knows. */
export const NOT_PUBLIC = 'does not resolve to public addresses only';

function judgeAddresses(host: string, addresses: readonly LookupAddress[]): AddressVerdict {
  const inside = addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address));
  return inside ? { ok: false, reason: `${host} ${NOT_PUBLIC}` } : { ok: true };
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The whole check, as at creation and at every attempt: the URL's form, then every address its
 * host has (a literal address as itself). Allowed hosts skip the address check.
 */
export async function checkWebhookUrl(
  raw: string,
  allowed: readonly AllowedHost[],
  resolve: Resolver = systemResolver,
): Promise<{ url: URL; addresses: LookupAddress[] } | { reason: string }> {
  const form = checkUrlForm(raw, allowed);
  if ('reason' in form) return form;
  const { url } = form;
  const literal = literalAddress(url);
  let addresses: LookupAddress[];
  if (literal) addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(url.hostname);
    } catch {
      return { reason: `${url.hostname} ${NOT_PUBLIC}` };
    }
  }
  if (isAllowedHost(url, allowed)) return { url, addresses };
  const verdict = judgeAddresses(url.hostname, addresses);
  return verdict.ok ? { url, addresses } : { reason: verdict.reason };
}
