import { Writable } from 'node:stream';
import { nonBlockingDestination } from './log-destination.js';

/** A stdout stand-in whose reader stopped: the first write never completes, every later one queues. */
function stalledPipe() {
  const out = new Writable({ highWaterMark: 16, write() {} });
  return { out };
}

describe('the log destination never blocks', () => {
  it('queues lines for a slow reader up to the limit, then drops them and counts', () => {
    const { out } = stalledPipe();
    const destination = nonBlockingDestination(out, 100);
    for (let i = 0; i < 20; i++) expect(destination.write(`${'x'.repeat(30)}\n`)).toBe(true);
    expect(out.writableLength).toBeLessThanOrEqual(100 + 31);
    expect(destination.dropped).toBeGreaterThan(10);
  });

  it('drops every line once the stream failed (EPIPE), without throwing', () => {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    });
    const destination = nonBlockingDestination(out);
    destination.write('before\n');
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(() => destination.write('after\n')).not.toThrow();
    expect(lines).toEqual(['before\n']);
    expect(destination.dropped).toBe(1);
  });

  it('says how many lines it dropped once lines go out again', () => {
    const lines: string[] = [];
    let full = true;
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    });
    Object.defineProperty(out, 'writableLength', { get: () => (full ? 1_000 : 0) });
    const destination = nonBlockingDestination(out, 100);
    destination.write('lost 1\n');
    destination.write('lost 2\n');
    full = false;
    destination.write('kept\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 40,
      msg: '2 log lines were dropped: the log reader was too slow or gone',
    });
    expect(lines[1]).toBe('kept\n');
  });
});
