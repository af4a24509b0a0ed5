import { likePrefixPattern } from './like-pattern.js';

describe('likePrefixPattern', () => {
  it('ends a plain prefix with one %', () => {
    expect(likePrefixPattern('ada')).toBe('ada%');
  });

  it("escapes the prefix's own wildcards and backslashes, so they match only themselves", () => {
    expect(likePrefixPattern('50%_off')).toBe('50\\%\\_off%');
    expect(likePrefixPattern('a\\b')).toBe('a\\\\b%');
  });
});
