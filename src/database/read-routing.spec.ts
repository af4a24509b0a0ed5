import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/config.js';
import {
  chooseReplica,
  currentReadScope,
  enableReadRouting,
  markReadScope,
  type ReadScope,
  type ReplicaView,
} from './read-routing.js';
import { parseLsn, ReadReplicas, replayedSampleTime, sampleIntervalMs, type WalSample } from './replicas.js';

describe('DATABASE_REPLICA_URLS and REPLICA_MAX_LAG_MS', () => {
  it('reads a comma-separated list of PostgreSQL URLs, and a lag bound of 1 s by default', () => {
    const config = loadConfig({ DATABASE_REPLICA_URLS: ' postgres://a/db , postgresql://b:5433/db,' });
    expect(config.replicas).toEqual({ urls: ['postgres://a/db', 'postgresql://b:5433/db'], maxLagMs: 1000 });
    expect(loadConfig({}).replicas).toEqual({ urls: [], maxLagMs: 1000 });
  });

  it('refuses what is not a PostgreSQL URL, and a lag bound out of range', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'mysql://a/db' })).toThrow(ConfigError);
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: '5' })).toThrow(/REPLICA_MAX_LAG_MS/);
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: 'soon' })).toThrow(/REPLICA_MAX_LAG_MS/);
    // under two sampling intervals (50 ms at least) a replica would count as lagging most of the time
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: '50' })).toThrow(/REPLICA_MAX_LAG_MS must be an integer from 100/);
    expect(loadConfig({ REPLICA_MAX_LAG_MS: '100' }).replicas.maxLagMs).toBe(100);
  });

  it('refuses at start-up a URL no driver could use, naming the setting and the position, never the URL', () => {
    for (const bad of ['postgres://standby host/db', 'postgres://standby:99999/db', 'postgres://u:p%zz@standby/db']) {
      const urls = `postgres://u:secret@ok/db,${bad}`;
      expect(() => loadConfig({ DATABASE_REPLICA_URLS: urls })).toThrow(/DATABASE_REPLICA_URLS: entry 2 /);
      expect(() => loadConfig({ DATABASE_REPLICA_URLS: urls })).not.toThrow(/secret|standby|p%zz/);
    }
  });

  it('has no replicas on the embedded database (no DATABASE_URL)', () => {
    const config = loadConfig({ DATABASE_REPLICA_URLS: 'postgres://127.0.0.1:5433/db', LOG_LEVEL: 'silent' });
    expect(new ReadReplicas({} as DataSource, config).enabled).toBe(false);
  });
});

describe('a replica that cannot be reached', () => {
  it('is reported down by its position in the list, never its address or password', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://127.0.0.1/primary',
      DATABASE_REPLICA_URLS: 'postgres://reader:hunter2@no-such-host.invalid:5433/db',
    });
    const db = { driver: {}, query: async () => [{ lsn: '0/100' }] } as unknown as DataSource;
    const replicas = new ReadReplicas(db, config);
    try {
      replicas.start();
      for (let i = 0; i < 50 && warn.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const said = warn.mock.calls.map((call) => String(call[0])).join('\n');
      expect(said).toMatch(/read replica 1 is down/);
      expect(said).not.toMatch(/no-such-host|hunter2|reader/);
    } finally {
      await replicas.stop();
      warn.mockRestore();
    }
  });
});

describe('replica lag: the newest primary sample a replica has replayed', () => {
  const samples: WalSample[] = [
    { lsn: parseLsn('0/100'), at: 1000 },
    { lsn: parseLsn('0/200'), at: 1250 },
    { lsn: parseLsn('0/200'), at: 1500 }, // an idle primary: the position did not move
    { lsn: parseLsn('1/0'), at: 1750 },
  ];

  it('reads WAL positions as numbers across the high word', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
  });

  it('is the time of the newest sample at or below the replayed position', () => {
    expect(replayedSampleTime(samples, parseLsn('0/200'))).toBe(1500);
    expect(replayedSampleTime(samples, parseLsn('0/1FF'))).toBe(1000);
    expect(replayedSampleTime(samples, parseLsn('2/0'))).toBe(1750);
  });

  it('is unknown for a replica behind every sample kept', () => {
    expect(replayedSampleTime(samples, parseLsn('0/FF'))).toBeUndefined();
    expect(replayedSampleTime([], parseLsn('0/FF'))).toBeUndefined();
  });

  it('is sampled four times within the lag allowed, from 50 ms to 1 s apart', () => {
    expect(sampleIntervalMs(1000)).toBe(250);
    expect(sampleIntervalMs(10)).toBe(50);
    expect(sampleIntervalMs(60_000)).toBe(1000);
  });
});

describe('read routing policy', () => {
  const now = 10_000;
  const maxLag = 1000;
  const fresh: ReplicaView = { down: false, replayedAt: now - 200 };
  const stale: ReplicaView = { down: false, replayedAt: now - 1500 };
  const down: ReplicaView = { down: true, replayedAt: now - 100 };
  const unknown: ReplicaView = { down: false, replayedAt: undefined };
  const reader = { readOnly: true, wrote: false, lastWriteAt: undefined };

  it('sends a read-only request to a replica within the lag bound', () => {
    expect(chooseReplica(reader, [fresh], now, maxLag)).toBe(0);
  });

  it('keeps writes, requests that wrote and reads outside any request on the primary', () => {
    expect(chooseReplica({ ...reader, readOnly: false }, [fresh], now, maxLag)).toBe(-1);
    expect(chooseReplica({ ...reader, wrote: true }, [fresh], now, maxLag)).toBe(-1);
    expect(chooseReplica(undefined, [fresh], now, maxLag)).toBe(-1);
  });

  it('skips a replica that lags too far, is down or has not been measured yet', () => {
    expect(chooseReplica(reader, [stale, down, unknown], now, maxLag)).toBe(-1);
    expect(chooseReplica(reader, [stale, down, fresh], now, maxLag)).toBe(2);
  });

  it('reads the caller its own write: only from a replica that replayed a sample taken after it', () => {
    expect(chooseReplica({ ...reader, lastWriteAt: now - 100 }, [fresh], now, maxLag)).toBe(-1);
    expect(chooseReplica({ ...reader, lastWriteAt: now - 200 }, [fresh], now, maxLag)).toBe(-1);
    expect(chooseReplica({ ...reader, lastWriteAt: now - 201 }, [fresh], now, maxLag)).toBe(0);
  });

  it('spreads reads over the usable replicas in turn', () => {
    const two = [fresh, { ...fresh }];
    expect([0, 1, 2, 3].map((start) => chooseReplica(reader, two, now, maxLag, start))).toEqual([0, 1, 0, 1]);
  });
});

describe("a request's read scope", () => {
  it('ends with its answer: work the request started that outlives it (a timer, a woken worker) reads the primary', async () => {
    const disable = enableReadRouting(1000);
    try {
      const raw = new EventEmitter();
      const req = { method: 'GET', url: '/api/v1/units', caller: null } as unknown as FastifyRequest;
      let later: Promise<ReadScope | undefined> | undefined;
      let during: ReadScope | undefined;
      markReadScope(req, { raw } as unknown as FastifyReply, () => {
        during = currentReadScope();
        later = new Promise((resolve) => setTimeout(() => resolve(currentReadScope()), 20));
      });
      expect(during?.readOnly).toBe(true);
      raw.emit('close'); // the answer went out (or the client left)
      expect(await later).toBeUndefined();
    } finally {
      disable();
    }
  });
});
