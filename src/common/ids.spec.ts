import { version, validate } from 'uuid';
import { newId } from './ids.js';

describe('ids are UUIDv7', () => {
  it('every id is a valid version 7 UUID with the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newId();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect('89ab').toContain(id[19]);
    }
  });

  it('ids made one after another are strictly increasing, also within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('more ids than the counter holds in one millisecond still come out in order', () => {
    const frozen = Date.now() + 60_000;
    const ids = Array.from({ length: 5000 }, () => newId(frozen));
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
  });

  it('the first 48 bits are the creation time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0) + 10 * 60_000 * 60 * 24 * 365;
    const id = newId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(at);
  });
});
