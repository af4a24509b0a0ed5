import { ConfigError, loadConfig } from './config.js';

describe('database timeouts in the configuration', () => {
  it('defaults: the pool wait below the statement timeout, the query timeout above it', () => {
    const { db, idempotencyLeaseSeconds } = loadConfig({});
    expect(db).toMatchObject({ statementTimeoutMs: 15000, queryTimeoutMs: 16000, connectTimeoutMs: 5000 });
    expect(idempotencyLeaseSeconds).toBe(30);
  });

  it('follow a shorter statement timeout', () => {
    expect(loadConfig({ DB_STATEMENT_TIMEOUT_MS: '2000' }).db).toMatchObject({
      statementTimeoutMs: 2000,
      queryTimeoutMs: 3000,
      connectTimeoutMs: 1000,
    });
  });

  it.each([
    [
      { DB_QUERY_TIMEOUT_MS: '15000' },
      /DB_QUERY_TIMEOUT_MS \(15000\) must be greater than DB_STATEMENT_TIMEOUT_MS \(15000\)/,
    ],
    [{ DB_CONNECT_TIMEOUT_MS: '20000' }, /DB_CONNECT_TIMEOUT_MS \(20000\) must be less than DB_STATEMENT_TIMEOUT_MS/],
    [{ DB_QUERY_TIMEOUT_MS: 'soon' }, /DB_QUERY_TIMEOUT_MS must be an integer/],
    [{ IDEMPOTENCY_LEASE_SECONDS: '1' }, /IDEMPOTENCY_LEASE_SECONDS must be an integer from 3 to 3600/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
