import { randomBytes } from 'node:crypto';
import type { Queryable } from './db';

/** A shared secret by name: created once (by whichever server gets there first), the same for every server after. */
export async function sharedSecret(db: Queryable, name: string, bytes = 32): Promise<Buffer> {
  await db.query(`INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(bytes)]);
  const { rows } = await db.query<{ value: Buffer | Uint8Array }>(`SELECT value FROM server_secrets WHERE name = $1`, [name]);
  return Buffer.from(rows[0]!.value);
}
