import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTenant, gql, rest, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix } } }`;

/**
 * Finding 3: an answer that carries a secret (an API key's) is never stored for Idempotency-Key
 * replays. The same key and body are told, with a 409, that the secret was shown once.
 */
describe('Idempotency-Key and answers that carry a secret', () => {
  let t: TestApp;
  let db: DataSource;
  let org: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    org = await createTenant(t, 'RETAILER');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Where the idempotency store might keep a secret: every stored answer. */
  const storedAnswersContaining = async (text: string) =>
    Number(
      (
        await db.query(`SELECT count(*) AS n FROM idempotency_keys WHERE response_body LIKE '%' || $1 || '%'`, [text])
      )[0].n,
    );

  it('REST: the secret is answered once, never stored, and a replay says it was shown once', async () => {
    const key = `rest-key-${randomUUID()}`;
    const body = { organizationId: org.id, name: 'Till 4', role: 'STAFF' };
    const first = await rest(t, org.admin).post('/api-keys', body).set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    const secret: string = first.body.secret;
    expect(secret).toEqual(expect.any(String));
    expect(await storedAnswersContaining(secret)).toBe(0);
    const [row] = await db.query(
      `SELECT status_code, response_body, answer_withheld FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    expect(row).toEqual({ status_code: 201, response_body: null, answer_withheld: true });

    const replay = await rest(t, org.admin).post('/api-keys', body).set('Idempotency-Key', key);
    expect(replay.status).toBe(409);
    expect(replay.headers['content-type']).toContain('application/problem+json');
    expect(replay.body).toMatchObject({
      code: 'CONFLICT',
      errorCode: 'IDEMPOTENT_SECRET_NOT_REPLAYED',
      field: 'Idempotency-Key',
    });
    expect(replay.body.detail).toMatch(/shown only once/);
    expect(JSON.stringify(replay.body)).not.toContain(secret);
    // nothing was made twice: the organization has its three keys and this one
    const keys = await db.query(`SELECT count(*) AS n FROM api_keys WHERE organization_id = $1`, [org.id]);
    expect(Number(keys[0].n)).toBe(4);
    // the key works; another body with the same Idempotency-Key is still refused as before
    expect((await rest(t, secret).get('/me')).status).toBe(200);
    expect(
      (
        await rest(t, org.admin)
          .post('/api-keys', { ...body, name: 'Till 5' })
          .set('Idempotency-Key', key)
      ).status,
    ).toBe(422);
  });

  it('GraphQL: the same, with the error in extensions and a 409', async () => {
    const key = `gql-key-${randomUUID()}`;
    const variables = { input: { organizationId: org.id, name: 'Back office', role: 'READONLY' } };
    const first = await gql(t, org.admin, CREATE_KEY, variables, { 'Idempotency-Key': key });
    expect(first.errors).toBeUndefined();
    const secret: string = first.data.createApiKey.secret;
    expect(await storedAnswersContaining(secret)).toBe(0);

    const replay = await gql(t, org.admin, CREATE_KEY, variables, { 'Idempotency-Key': key });
    expect(replay.status).toBe(409);
    expect(replay.data).toBeUndefined();
    expect(replay.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      errorCode: 'IDEMPOTENT_SECRET_NOT_REPLAYED',
      field: 'Idempotency-Key',
    });
    const named = await db.query(
      `SELECT count(*) AS n FROM api_keys WHERE organization_id = $1 AND name = 'Back office'`,
      [org.id],
    );
    expect(Number(named[0].n)).toBe(1);
  });

  it('answers without a secret replay as before, failed key creations included', async () => {
    const refused = { input: { organizationId: org.id, name: 'Bench', role: 'TECHNICIAN' } };
    const key = `gql-refused-${randomUUID()}`;
    const first = await gql(t, org.admin, CREATE_KEY, refused, { 'Idempotency-Key': key });
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'technicianId' });
    const replay = await gql(t, org.admin, CREATE_KEY, refused, { 'Idempotency-Key': key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.errors).toEqual(first.errors);

    const me = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
    const made = await gql(t, org.admin, CREATE_KEY, {
      input: { organizationId: org.id, name: 'Temp', role: 'READONLY' },
    });
    const revokeKey = `gql-revoke-${randomUUID()}`;
    const revoked = await gql(
      t,
      org.admin,
      me,
      { id: made.data.createApiKey.apiKey.id },
      { 'Idempotency-Key': revokeKey },
    );
    const again = await gql(
      t,
      org.admin,
      me,
      { id: made.data.createApiKey.apiKey.id },
      { 'Idempotency-Key': revokeKey },
    );
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.data).toEqual(revoked.data);
  });
});
