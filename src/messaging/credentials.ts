/**
 * Agent credentials: a random secret per agent, of which the manager keeps only hashes.
 * `scrypt` hashes are what the embedded broker verifies; the PBKDF2 `$7$` hash is the
 * mosquitto password-file format, for deployments that use an external mosquitto.
 */
import { pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

/** What an agent connects with: user name = agent name, password = random secret. */
export interface AgentCredentials {
  username: string;
  password: string;
}

/** scrypt cost parameters. */
export interface ScryptOptions {
  /** @default 16384 */
  N?: number;
  /** @default 8 */
  r?: number;
  /** @default 1 */
  p?: number;
}

/** A new random secret (32 bytes, base64url). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Hashes a secret as `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export async function hashSecret(secret: string, options: ScryptOptions = {}): Promise<string> {
  const N = options.N ?? 16384;
  const r = options.r ?? 8;
  const p = options.p ?? 1;
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a secret against a {@link hashSecret} hash, in constant time. False on a malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(secret, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/** Hashes a secret in mosquitto 2's password-file format (`$7$<iterations>$<salt>$<hash>`, PBKDF2-SHA512). */
export async function mosquittoHash(secret: string, iterations = 101): Promise<string> {
  const salt = randomBytes(12);
  const hash = await pbkdf2Async(secret, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
