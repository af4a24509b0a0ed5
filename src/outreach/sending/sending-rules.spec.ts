import { retryAt, suppressionReason, type SuppressionFacts } from './sending-rules.js';

const ok: SuppressionFacts = {
  purpose: 'MARKETING',
  unitActive: true,
  email: 'ann@example.com',
  marketingConsent: true,
  unsubscribed: false,
  bounced: false,
  recentMarketing: false,
};

describe('suppression at send time', () => {
  it('sends when nothing stands in the way', () => {
    expect(suppressionReason(ok)).toBeNull();
  });

  it('gives the first reason that applies, in order', () => {
    const all: SuppressionFacts = {
      ...ok,
      unitActive: false,
      email: null,
      unsubscribed: true,
      bounced: true,
      marketingConsent: false,
      recentMarketing: true,
    };
    expect(suppressionReason(all)).toBe('UNIT_NOT_ACTIVE');
    expect(suppressionReason({ ...all, unitActive: true })).toBe('NO_EMAIL');
    expect(suppressionReason({ ...all, unitActive: true, email: '  ' })).toBe('NO_EMAIL');
    expect(suppressionReason({ ...all, unitActive: true, email: 'a@b.c' })).toBe('UNSUBSCRIBED');
    expect(suppressionReason({ ...ok, bounced: true, marketingConsent: false })).toBe('BOUNCED');
    expect(suppressionReason({ ...ok, marketingConsent: false, recentMarketing: true })).toBe('NO_MARKETING_CONSENT');
    expect(suppressionReason({ ...ok, recentMarketing: true })).toBe('FREQUENCY_CAP');
  });

  it('never asks consent of nor caps a SERVICE message, but honours unsubscribes and bounces', () => {
    const service = { ...ok, purpose: 'SERVICE' as const, marketingConsent: false, recentMarketing: true };
    expect(suppressionReason(service)).toBeNull();
    expect(suppressionReason({ ...service, unsubscribed: true })).toBe('UNSUBSCRIBED');
    expect(suppressionReason({ ...service, bounced: true })).toBe('BOUNCED');
  });
});

describe('retries of temporary failures', () => {
  const created = new Date('2026-03-01T10:00:00Z');
  const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000);

  it('waits 1, 5, 15, 60 minutes, then hourly', () => {
    expect(retryAt(1, at(0), created, 24)).toEqual(at(1));
    expect(retryAt(2, at(1), created, 24)).toEqual(at(6));
    expect(retryAt(3, at(6), created, 24)).toEqual(at(21));
    expect(retryAt(4, at(21), created, 24)).toEqual(at(81));
    expect(retryAt(9, at(600), created, 24)).toEqual(at(660));
  });

  it('gives up once the retry period from the message being recorded has passed, never waiting beyond it', () => {
    expect(retryAt(20, at(24 * 60), created, 24)).toBeNull();
    expect(retryAt(20, at(24 * 60 - 10), created, 24)).toEqual(at(24 * 60));
    expect(retryAt(1, at(0), created, 0)).toBeNull();
  });
});
