import { COUPON_ALPHABET, couponExpiresOn, newCouponCode, sampleCouponCode } from './coupon-code.js';

describe('coupon codes', () => {
  it('is the prefix, a hyphen and eight characters without look-alikes', () => {
    for (let i = 0; i < 500; i++) expect(newCouponCode('SPRING')).toMatch(/^SPRING-[A-HJKMNP-Z2-9]{8}$/);
    expect(COUPON_ALPHABET).not.toMatch(/[0O1IL]/);
    expect(new Set(COUPON_ALPHABET).size).toBe(COUPON_ALPHABET.length);
  });

  it('draws every character from the whole alphabet', () => {
    const drawn: number[] = [];
    const code = newCouponCode('X', (below) => {
      drawn.push(below);
      return drawn.length - 1;
    });
    expect(drawn).toEqual(Array(8).fill(COUPON_ALPHABET.length));
    expect(code).toBe(`X-${COUPON_ALPHABET.slice(0, 8)}`);
    expect(newCouponCode('X', (below) => below - 1)).toBe('X-99999999');
  });

  it('hardly ever repeats a code', () => {
    const codes = new Set(Array.from({ length: 20_000 }, () => newCouponCode('P')));
    expect(codes.size).toBe(20_000);
  });

  it('shows a sample that is not a code, and expires validDays after the day it was sent', () => {
    expect(sampleCouponCode('WELCOME')).toBe('WELCOME-XXXXXXXX');
    expect(couponExpiresOn('2026-02-20', 10)).toBe('2026-03-02');
    expect(couponExpiresOn('2026-02-20', 0)).toBe('2026-02-20');
  });
});
