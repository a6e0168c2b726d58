import { describe, expect, it } from 'vitest';
import { SCRYPT_PEOPLE, hashPassword, parsePasswordHash, verifyPassword } from './password';

describe('password hashes', () => {
  it('verify the password they were made from, and no other', async () => {
    const hash = await hashPassword('correct horse battery staple', SCRYPT_PEOPLE);
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('are salted: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password twice')).not.toBe(await hashPassword('same password twice'));
  });

  it('treat the same text in another Unicode form as the same password', async () => {
    expect(await verifyPassword('cafe\u0301 海防 password', await hashPassword('caf\u00e9 海防 password'))).toBe(true);
  });

  it('refuse malformed or absurd stored hashes instead of throwing', async () => {
    const good = await hashPassword('whatever');
    for (const stored of ['', 'plain', 'bcrypt$10$x$y', good.replace('ln=14', 'ln=40'), good.replace('ln=14', 'ln=2'), good.slice(0, -10)]) {
      expect(await verifyPassword('whatever', stored)).toBe(false);
    }
    expect(parsePasswordHash(good)).toMatchObject({ ln: 14, r: 8, p: 1 });
  });
});
