import { randomBytes } from 'node:crypto';
import type { NewUser, Role, User, UserPatch } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { Db } from '../store/db';
import { sharedSecret } from '../store/secret-store';
import { insertUser, loadUsers, publicUser, updateUser, type StoredUser } from '../store/user-store';
import { SCRYPT_PEOPLE, hashPassword, verifyPassword } from './password';
import { scopeOf, type Permission, type Scope } from './permissions';
import { signToken, verifyToken, type TokenError } from './token';

/** Who is asking: the signed-in user, as the token names them. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  unitId: string | null;
  droneTrackId: string | null;
  /** Token expiry (ms): a live socket is closed then. */
  expMs: number;
}

export type AuthFailure = 'missing' | TokenError | 'disabled';

export interface AuthConfig {
  tokenTtlS: number;
  firstSupervisor: { username: string; password: string | undefined };
}


/** Logins, session tokens and users. Users are cached in memory; every change is written first. */
export class AuthService {
  private readonly users = new Map<string, StoredUser>();
  private readonly disabledListeners = new Set<(userId: string) => void>();

  private constructor(
    private readonly db: Db,
    private readonly secret: Buffer,
    private readonly config: AuthConfig,
    // Checked when the username is unknown, so a failed login takes as long either way.
    private readonly decoyHash: string,
  ) {}

  static async start(db: Db, config: AuthConfig, log: Logger): Promise<AuthService> {
    const decoy = await hashPassword(randomBytes(24).toString('base64url'), SCRYPT_PEOPLE);
    const auth = new AuthService(db, await sharedSecret(db, 'session-token-key'), config, decoy);
    await auth.reload();
    if (auth.users.size === 0) {
      const { username, password } = config.firstSupervisor;
      if (password) {
        await auth.createUser({ username, password, role: 'supervisor', displayName: 'Supervisor' });
        log.info({ username }, 'created the first supervisor from SUPERVISOR_PASSWORD');
      } else {
        log.warn('no users yet, and SUPERVISOR_PASSWORD is not set: nobody can log in until it is');
      }
    }
    return auth;
  }

  async reload(): Promise<void> {
    this.users.clear();
    for (const u of await loadUsers(this.db)) this.users.set(u.id, u);
  }

  listUsers(): User[] {
    return [...this.users.values()].map(publicUser);
  }

  /** A token for the user, or null for a wrong username or password or a disabled account (no difference shown). */
  async login(username: string, password: string, nowMs: number): Promise<{ token: string; expiresAtMs: number; user: User } | null> {
    const user = [...this.users.values()].find((u) => u.username === username);
    const ok = await verifyPassword(password, user?.passwordHash ?? this.decoyHash);
    if (!user || !ok || user.disabled) return null;
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.config.tokenTtlS;
    const token = signToken({ sub: user.id, name: user.username, role: user.role, unitId: user.unitId, droneTrackId: user.droneTrackId, iat, exp }, this.secret);
    return { token, expiresAtMs: exp * 1000, user: publicUser(user) };
  }

  /** The principal behind a bearer token, or why there is none. */
  authenticate(token: string | undefined, nowMs: number): { ok: true; principal: Principal } | { ok: false; failure: AuthFailure } {
    if (!token) return { ok: false, failure: 'missing' };
    const v = verifyToken(token, this.secret, nowMs);
    if (!v.ok) return { ok: false, failure: v.error };
    const user = this.users.get(v.claims.sub);
    if (!user || user.disabled) return { ok: false, failure: 'disabled' };
    return {
      ok: true,
      principal: { userId: user.id, name: user.username, role: user.role, unitId: user.unitId, droneTrackId: user.droneTrackId, expMs: v.claims.exp * 1000 },
    };
  }

  /** Whether the user may still act (exists and is not disabled): checked on every socket command too. */
  isActive(userId: string): boolean {
    const user = this.users.get(userId);
    return user !== undefined && !user.disabled;
  }

  /** Called with a user's id when a supervisor disables them (live sockets are closed). */
  onDisabled(listener: (userId: string) => void): void {
    this.disabledListeners.add(listener);
  }

  scope(principal: Principal, permission: Permission): Scope | null {
    return scopeOf(principal.role, permission);
  }

  async createUser(u: NewUser): Promise<User> {
    const stored = await insertUser(this.db, {
      username: u.username,
      displayName: u.displayName ?? u.username,
      passwordHash: await hashPassword(u.password, SCRYPT_PEOPLE),
      role: u.role,
      unitId: u.unitId ?? null,
      droneTrackId: u.droneTrackId ?? null,
    });
    this.users.set(stored.id, stored);
    return publicUser(stored);
  }

  async updateUser(id: string, patch: UserPatch): Promise<User | null> {
    const stored = await updateUser(this.db, id, {
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.password !== undefined ? { passwordHash: await hashPassword(patch.password, SCRYPT_PEOPLE) } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    if (stored) this.users.set(stored.id, stored);
    if (stored?.disabled) for (const l of this.disabledListeners) l(stored.id);
    return stored ? publicUser(stored) : null;
  }
}
