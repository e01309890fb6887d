/** Password hashing with scrypt (node:crypto) and constant-time comparison. */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const keyLength = 64;
/** scrypt cost parameters; stored in the hash so they can change later. */
const cost = { N: 16384, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, params: typeof cost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password: `scrypt$N$r$p$<salt b64>$<key b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored` (constant-time on the derived keys). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random password/token: 32 url-safe characters. */
export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Tokens are stored hashed (sha256): a leaked database does not leak usable tokens. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
