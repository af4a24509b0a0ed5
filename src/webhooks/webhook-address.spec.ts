import type { LookupAddress } from 'node:dns';
import { checkWebhookUrl, isPublicAddress, parseAllowHosts, type Resolver } from './webhook-address.js';

const publicResolver: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];
const resolvingTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));

const refusal = async (url: string, resolve: Resolver = publicResolver, allow = '') => {
  const result = await checkWebhookUrl(url, parseAllowHosts(allow), resolve);
  return 'reason' in result ? result.reason : null;
};

describe('webhook addresses (SSRF guard)', () => {
  // Each spelling names an address inside: loopback, private, link-local, metadata, shared,
  // unspecified, multicast, reserved, in decimal, hex, octal, short, IPv6 and IPv4-mapped forms.
  const inside = [
    'https://127.0.0.1/hook',
    'https://127.1/hook',
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://0x7f.0x0.0x0.0x1/hook',
    'https://0177.0.0.1/hook',
    'https://017700000001/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[0:0:0:0:0:ffff:7f00:1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://10.0.0.8/hook',
    'https://167772168/hook',
    'https://172.16.5.4/hook',
    'https://172.31.255.255/hook',
    'https://192.168.1.1/hook',
    'https://0xc0a80101/hook',
    'https://[fc00::1]/hook',
    'https://[fd12:3456::1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[fe80::1]/hook',
    'https://[::ffff:169.254.169.254]/hook',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://0/hook',
    'https://[::]/hook',
    'https://224.0.0.1/hook',
    'https://[ff02::1]/hook',
    'https://240.0.0.1/hook',
    'https://255.255.255.255/hook',
    'https://[64:ff9b::7f00:1]/hook',
    'https://[2002:7f00:1::]/hook',
    'https://[::127.0.0.1]/hook',
    'https://[::169.254.169.254]/hook',
  ];
  it.each(inside)('refuses %s', async (url) => {
    expect(await refusal(url)).toMatch(/does not resolve to public addresses only/);
  });

  it.each([
    ['ftp://example.com/hook', /https/],
    ['file:///etc/passwd', /https/],
    ['gopher://example.com/', /https/],
    ['javascript:alert(1)', /https/],
    ['http://example.com/hook', /https/],
    ['https://user:pass@example.com/hook', /user name or password/],
    ['https://user@example.com/hook', /user name or password/],
    ['not a url', /absolute URL/],
    ['/relative/path', /absolute URL/],
  ])('refuses %s by its form', async (url, reason) => {
    expect(await refusal(url)).toMatch(reason);
  });

  it('refuses a name that resolves inside, or partly inside, without saying what it resolves to', async () => {
    const inside = await refusal('https://hooks.example.com/', resolvingTo('10.0.0.1'));
    expect(inside).toBe('hooks.example.com does not resolve to public addresses only');
    expect(await refusal('https://hooks.example.com/', resolvingTo('93.184.215.14', '::1'))).toBe(inside);
    expect(await refusal('https://hooks.example.com/', resolvingTo('::a9fe:a9fe'))).toBe(inside);
    expect(await refusal('https://hooks.example.com/', resolvingTo())).toBe(inside);
    expect(
      await refusal('https://nowhere.example/', async () => {
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      }),
    ).toBe('nowhere.example does not resolve to public addresses only');
  });

  it('accepts a public https URL, by name or address', async () => {
    expect(await refusal('https://hooks.example.com/aftercare?x=1')).toBeNull();
    expect(await refusal('https://93.184.215.14/hook')).toBeNull();
    expect(await refusal('https://[2606:4700::1111]/hook')).toBeNull();
  });

  it('lets an allowed host use http and a private address, on the allowed port only', async () => {
    expect(await refusal('http://localhost:4000/hook', resolvingTo('127.0.0.1'), 'localhost:4000')).toBeNull();
    expect(await refusal('http://127.0.0.1:4000/hook', publicResolver, '127.0.0.1')).toBeNull();
    expect(await refusal('http://localhost:4001/hook', resolvingTo('127.0.0.1'), 'localhost:4000')).toMatch(/https/);
    expect(await refusal('https://localhost:4001/hook', resolvingTo('127.0.0.1'), 'localhost:4000')).toMatch(
      /does not resolve to public addresses only/,
    );
    expect(await refusal('http://user:pw@localhost:4000/hook', resolvingTo('127.0.0.1'), 'localhost:4000')).toMatch(
      /user name/,
    );
  });

  it('reads WEBHOOK_ALLOW_HOSTS and refuses an entry that is not a host', () => {
    expect(parseAllowHosts(' Localhost:4000, receiver ,[::1]:9000')).toEqual([
      { host: 'localhost', port: 4000 },
      { host: 'receiver', port: null },
      { host: '[::1]', port: 9000 },
    ]);
    expect(parseAllowHosts('')).toEqual([]);
    expect(() => parseAllowHosts('localhost/path')).toThrow(/not a host/);
  });

  it('judges IPv4-mapped IPv6 addresses as the IPv4 address they carry', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('not-an-address')).toBe(false);
  });
});
