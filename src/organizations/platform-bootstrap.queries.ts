import type { EntityManager } from 'typeorm';

/** The platform bootstrap's reads and writes (platform-bootstrap.service.ts keeps the rules). */

/** One bootstrap at a time, until the transaction ends, even with several replicas starting together. */
export async function lockPlatformBootstrap(em: EntityManager): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(7240001)`);
}

/** The platform operator's organization (the actor of the platform's own changes); null before the first start. */
export async function findPlatformOrganizationId(em: EntityManager): Promise<string | null> {
  const [platform] = await em.query(`SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY id LIMIT 1`);
  return platform?.id ?? null;
}

export async function insertPlatformOrganization(em: EntityManager, id: string): Promise<void> {
  await em.query(`INSERT INTO organizations (id, name, kind) VALUES ($1, 'Platform operator', 'PLATFORM')`, [id]);
}

/** Revokes the keys that came from AFTERCARE_ADMIN_KEY, but the one with this hash. */
export async function revokeEnvironmentKeysBut(em: EntityManager, secretHash: string): Promise<void> {
  await em.query(`UPDATE api_keys SET revoked_at = now() WHERE from_env AND secret_hash <> $1 AND revoked_at IS NULL`, [
    secretHash,
  ]);
}

/** The operator key from AFTERCARE_ADMIN_KEY: inserted, or made valid again if it was revoked. */
export async function upsertEnvironmentKey(
  em: EntityManager,
  key: { id: string; organizationId: string; prefix: string; secretHash: string },
): Promise<void> {
  await em.query(
    `INSERT INTO api_keys (id, organization_id, name, role, prefix, secret_hash, from_env)
     VALUES ($1, $2, 'Platform operator (AFTERCARE_ADMIN_KEY)', 'ADMIN', $3, $4, true)
     ON CONFLICT (secret_hash) DO UPDATE SET revoked_at = NULL`,
    [key.id, key.organizationId, key.prefix, key.secretHash],
  );
}

/** Whether the organization has a key that is neither revoked nor expired. */
export async function hasUsableKey(em: EntityManager, organizationId: string): Promise<boolean> {
  const [usable] = await em.query(
    `SELECT 1 FROM api_keys WHERE organization_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
    [organizationId],
  );
  return usable !== undefined;
}

export async function insertGeneratedOperatorKey(
  em: EntityManager,
  key: { id: string; organizationId: string; prefix: string; secretHash: string },
): Promise<void> {
  await em.query(
    `INSERT INTO api_keys (id, organization_id, name, role, prefix, secret_hash) VALUES ($1, $2, 'Platform operator (generated)', 'ADMIN', $3, $4)`,
    [key.id, key.organizationId, key.prefix, key.secretHash],
  );
}
