import { describe, expect, it } from 'vitest';
import { signToken, verifyToken, type TokenClaims } from './token';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);
const claims: TokenClaims = { sub: 'u1', name: 'op-li', role: 'operator', unitId: null, droneTrackId: null, iat: NOW / 1000, exp: NOW / 1000 + 3600 };

describe('session tokens', () => {
  it('round-trip their claims while valid', () => {
    expect(verifyToken(signToken(claims, KEY), KEY, NOW + 1000)).toEqual({ ok: true, claims });
  });

  it('expire at exp', () => {
    const token = signToken(claims, KEY);
    expect(verifyToken(token, KEY, NOW + 3599_000).ok).toBe(true);
    expect(verifyToken(token, KEY, NOW + 3600_000)).toEqual({ ok: false, error: 'expired' });
  });

  it('refuse another key, an edited body, another algorithm and garbage', () => {
    const token = signToken(claims, KEY);
    expect(verifyToken(token, Buffer.from('another key, same length, 32 b!'), NOW)).toEqual({ ok: false, error: 'bad-signature' });
    const [h, , sig] = token.split('.');
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'supervisor' })).toString('base64url');
    expect(verifyToken(`${h}.${promoted}.${sig}`, KEY, NOW)).toEqual({ ok: false, error: 'bad-signature' });
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(verifyToken(`${none}.${token.split('.')[1]}.`, KEY, NOW)).toEqual({ ok: false, error: 'malformed' });
    for (const junk of ['', 'a.b', 'a.b.c.d', `${h}.%%%.${sig}`]) expect(verifyToken(junk, KEY, NOW).ok).toBe(false);
  });

  it('refuse well-signed claims of the wrong shape', () => {
    expect(verifyToken(signToken({ ...claims, role: 'admin' } as unknown as TokenClaims, KEY), KEY, NOW)).toEqual({ ok: false, error: 'malformed' });
  });
});
