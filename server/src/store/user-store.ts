import { randomUUID } from 'node:crypto';
import type { Role, User } from '@seawall/contracts';
import type { Queryable } from './db';

/** A user with the hash the login checks; never sent to clients. */
export interface StoredUser extends User {
  passwordHash: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  unit_id: string | null;
  drone_track_id: string | null;
  disabled: boolean;
}

const COLUMNS = 'id, username, display_name, password_hash, role, unit_id, drone_track_id, disabled';

function toUser(r: UserRow): StoredUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    role: r.role,
    unitId: r.unit_id as User['unitId'],
    droneTrackId: r.drone_track_id as User['droneTrackId'],
    disabled: r.disabled,
  };
}

/** The public view of a stored user. */
export function publicUser({ passwordHash: _, ...user }: StoredUser): User {
  return user;
}

export async function loadUsers(db: Queryable): Promise<StoredUser[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`);
  return rows.map(toUser);
}

export class UsernameTakenError extends Error {}

export async function insertUser(
  db: Queryable,
  u: { username: string; displayName: string; passwordHash: string; role: Role; unitId: string | null; droneTrackId: string | null },
): Promise<StoredUser> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, username, display_name, password_hash, role, unit_id, drone_track_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [randomUUID(), u.username, u.displayName, u.passwordHash, u.role, u.unitId, u.droneTrackId],
  );
  if (!rows[0]) throw new UsernameTakenError(`the username ${u.username} is taken`);
  return toUser(rows[0]);
}

export async function updateUser(
  db: Queryable,
  id: string,
  patch: { displayName?: string; passwordHash?: string; disabled?: boolean },
): Promise<StoredUser | null> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET display_name = coalesce($2, display_name), password_hash = coalesce($3, password_hash),
            disabled = coalesce($4, disabled), updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, patch.displayName ?? null, patch.passwordHash ?? null, patch.disabled ?? null],
  );
  return rows[0] ? toUser(rows[0]) : null;
}
