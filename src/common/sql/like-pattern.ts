/**
 * A LIKE pattern matching every text that starts with `prefix`: the prefix's own `%`, `_` and `\`
 * are escaped (backslash is LIKE's default escape), so "50%_off" finds itself, not "50" + anything.
 * A pattern with no wildcard before the final `%` lets a text_pattern_ops index serve the LIKE.
 */
export function likePrefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
