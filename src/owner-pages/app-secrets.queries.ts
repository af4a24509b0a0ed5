import type { EntityManager } from 'typeorm';

/** The SQL of app_secrets: secrets the server makes for itself at first start. */

/**
 * The secret called `name`: `candidate` if none was kept yet, else the one kept. Two replicas
 * starting at once both offer theirs; the first insert wins and both read back the same value.
 */
export async function keepOrReadSecret(em: EntityManager, name: string, candidate: string): Promise<string> {
  await em.query(`INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    name,
    candidate,
  ]);
  const rows: Array<{ value: string }> = await em.query(`SELECT value FROM app_secrets WHERE name = $1`, [name]);
  if (!rows[0]) throw new Error(`app secret ${name} is missing right after it was kept`);
  return rows[0].value;
}
