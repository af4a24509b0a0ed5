import type { Readable } from 'node:stream';

/** The largest form an owner page reads: a survey comment of 2,000 characters, percent-encoded, fits. */
export const MAX_FORM_BYTES = 32 * 1024;

/** A posted form: field names to their first value, in an object without a prototype. */
export type OwnerForm = Record<string, string>;

export type FormReading =
  | { kind: 'form'; fields: OwnerForm }
  /** multipart/form-data (a mail client's one-click unsubscribe): read to the end and ignored. */
  | { kind: 'multipart' }
  | { kind: 'none' }
  | { kind: 'too-large' }
  /** A body the owner pages do not take (JSON). */
  | { kind: 'unsupported' };

const isStream = (body: unknown): body is Readable =>
  body !== null && typeof body === 'object' && typeof (body as Readable).pipe === 'function';

/** The body up to `limit` bytes, or null past it (what is left is read and dropped, so the answer still goes out). */
async function readUpTo(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

/** Fields of an application/x-www-form-urlencoded body; the first of a repeated name counts. */
export function parseUrlEncoded(text: string): OwnerForm {
  const fields: OwnerForm = Object.create(null) as OwnerForm;
  for (const [name, value] of new URLSearchParams(text)) if (!(name in fields)) fields[name] = value;
  return fields;
}

/**
 * Reads what a route marked formBody was sent (streaming-body.ts hands it the stream): a form of
 * strings, or what else it was. Nothing of it reaches a prototype: the object has none.
 */
export async function readOwnerForm(body: unknown, contentType: string | undefined): Promise<FormReading> {
  if (body === undefined || body === null) return { kind: 'none' };
  if (!isStream(body)) return { kind: 'unsupported' };
  const bytes = await readUpTo(body, MAX_FORM_BYTES);
  if (!bytes) return { kind: 'too-large' };
  if (/^\s*multipart\/form-data/i.test(contentType ?? '')) return { kind: 'multipart' };
  return { kind: 'form', fields: parseUrlEncoded(bytes.toString('utf8')) };
}
