/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text no field may hold: PostgreSQL refuses NUL in text (a 500 if it gets that far), and a lone
 * UTF-16 surrogate is not a character at all (it cannot be written as UTF-8, so jsonb refuses it
 * and text columns silently get U+FFFD). Checked once for every input, whatever the field.
 */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (text that is not valid Unicode)';
  return null;
}

interface TextProblem {
  /** Dotted path of the field inside the value ("customer.name", "lines.0.note"); "" for the value itself. */
  field: string;
  message: string;
}

/**
 * The first string (value or object key) anywhere in an input that no field may hold. Walks
 * with its own stack, so no input nests deep enough to overflow it.
 */
export function findTextProblem(value: unknown): TextProblem | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  const seen = new Set<object>();
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: path, message: problem };
      continue;
    }
    if (
      current === null ||
      typeof current !== 'object' ||
      seen.has(current) ||
      ArrayBuffer.isView(current) ||
      current instanceof Date
    )
      continue;
    seen.add(current);
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i];
      const innerPath = path ? `${path}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: path || 'input', message: `field names ${keyProblem}` };
      stack.push({ value: inner, path: innerPath });
    }
  }
  return null;
}
