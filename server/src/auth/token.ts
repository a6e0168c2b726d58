import { createHmac, timingSafeEqual } from 'node:crypto';
import { Role } from '@seawall/contracts';
import { z } from 'zod';

/** What a session token says: the user, their role and binding, and when it stops being valid. */
export const TokenClaims = z.object({
  sub: z.string(),
  name: z.string(),
  role: Role,
  unitId: z.string().nullable(),
  droneTrackId: z.string().nullable(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export type TokenError = 'malformed' | 'bad-signature' | 'expired';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** A compact JWS (JWT, HS256) signed with the server's secret. Times are seconds since the epoch. */
export function signToken(claims: TokenClaims, secret: Buffer): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** Checks signature (constant time), algorithm and expiry at `nowMs`. */
export function verifyToken(token: string, secret: Buffer, nowMs: number): { ok: true; claims: TokenClaims } | { ok: false; error: TokenError } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER || token.length > 4096) return { ok: false, error: 'malformed' };
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, error: 'bad-signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'malformed' };
  }
  const claims = TokenClaims.safeParse(json);
  if (!claims.success) return { ok: false, error: 'malformed' };
  if (claims.data.exp * 1000 <= nowMs) return { ok: false, error: 'expired' };
  return { ok: true, claims: claims.data };
}
