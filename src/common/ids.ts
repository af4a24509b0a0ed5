import { randomBytes } from 'node:crypto';
import { validate as uuidValidate } from 'uuid';

/**
 * Ids are UUIDv7 (RFC 9562): unique without a round trip, and ordered by creation time, which is
 * what keyset cursors and "oldest first" histories rely on. Within one millisecond the 12-bit
 * rand_a field counts up, so ids made by one process are strictly increasing. Randomness is drawn
 * from a pooled buffer: a bulk import makes hundreds of thousands of ids.
 */
const POOL_BYTES = 8 * 1024;
let pool = randomBytes(POOL_BYTES);
let poolOffset = 0;
let lastMs = 0;
let counter = 0;

function randomChunk(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const chunk = pool.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return chunk;
}

export function newId(now: number = Date.now()): string {
  const random = randomChunk(10);
  let ms = now;
  if (ms > lastMs) {
    lastMs = ms;
    counter = ((random[0] << 8) | random[1]) & 0x7ff; // start low in the 12 bits, leaving room to count
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // more than ~2,000 ids in one millisecond: borrow the next millisecond to stay ordered
      lastMs = ms = lastMs + 1;
      counter = 0;
    }
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[2] & 0x3f);
  random.copy(bytes, 9, 3, 10);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && uuidValidate(value);
