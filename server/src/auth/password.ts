import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes of people (logins) and MQTT identities, in the PHC string format:
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`, salt and hash in base64 without padding.
 * The parameters travel with each hash, so they can be raised later without invalidating old entries.
 * scrypt is memory-hard: guessing on GPUs costs memory, not only time. Machine identities get N = 2^14
 * (16 MiB): their passwords are 192 random bits, which no hash cost makes guessable; passwords people
 * choose get N = 2^15 (32 MiB).
 */
export const SCRYPT_DEFAULTS = { ln: 14, r: 8, p: 1 } as const;
export const SCRYPT_PEOPLE = { ln: 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{32,})$/;

interface ParsedHash {
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** Parses a PHC scrypt string; null when it is not one or its parameters are out of sane bounds. */
export function parsePasswordHash(encoded: string): ParsedHash | null {
  const m = PHC.exec(encoded);
  if (!m) return null;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ln < 10 || ln > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const hash = Buffer.from(m[5]!, 'base64');
  // A shorter stored key would still match its own prefix: a truncated entry must not verify.
  if (hash.length !== KEY_BYTES) return null;
  return { ln, r, p, salt: Buffer.from(m[4]!, 'base64'), hash };
}

function derive(password: Buffer | string, salt: Buffer, keylen: number, ln: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** ln;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r * p };
  // The same text typed on another keyboard may arrive in another Unicode form.
  const text = typeof password === 'string' ? password.normalize('NFC') : password;
  return new Promise((resolve, reject) => scrypt(text, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: { ln: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, params.ln, params.r, params.p);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

/** True when `password` matches `encoded`; false for a wrong password or a malformed hash. Constant time in the hash. */
export async function verifyPassword(password: Buffer | string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed.ln, parsed.r, parsed.p);
  return timingSafeEqual(key, parsed.hash);
}
