/**
 * Key handling for encrypted snapshots: a master key derived from the passphrase by scrypt
 * (random salt per archive), and per-purpose subkeys derived from it by HKDF-SHA256.
 */
import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { snapshotError } from './errors.js';

/** scrypt cost parameters, recorded in metadata. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. @default 32768 */
  n: number;
  /** Block size. @default 8 */
  r: number;
  /** Parallelism. @default 1 */
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { n: 2 ** 15, r: 8, p: 1 };
/** Reader's ceiling on scrypt cost, so a hostile archive cannot make us burn gigabytes. */
const MAX_SCRYPT: ScryptParams = { n: 2 ** 20, r: 16, p: 4 };
const KEY_CHECK_LABEL = 'rekindle-snapshot-key-check-v1';

/** The key material of one archive. */
export interface ArchiveKeys {
  master: Buffer;
}

/** Derives the archive's master key. Rejects absurd cost parameters before spending them. */
export async function deriveMasterKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<ArchiveKeys> {
  const { n, r, p } = params;
  const sane =
    Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0 && n <= MAX_SCRYPT.n &&
    Number.isInteger(r) && r >= 1 && r <= MAX_SCRYPT.r &&
    Number.isInteger(p) && p >= 1 && p <= MAX_SCRYPT.p;
  if (!sane || salt.length < 16) {
    throw snapshotError('snapshot_metadata_error', 'Snapshot metadata has invalid or excessive scrypt parameters', { n, r, p });
  }
  const master = await new Promise<Buffer>((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r + 32 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
  return { master };
}

/** A 32-byte subkey for `purpose` (and an optional per-entry salt). */
export function subkey(keys: ArchiveKeys, purpose: string, salt: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.from(hkdfSync('sha256', keys.master, salt, `rekindle-snapshot:${purpose}`, 32));
}

/** The value stored in metadata that tells a right passphrase from a wrong one. */
export function keyCheck(keys: ArchiveKeys): string {
  return createHmac('sha256', subkey(keys, 'key-check')).update(KEY_CHECK_LABEL).digest('base64');
}

/** Constant-time comparison of two base64/hex strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HMAC-SHA256 (hex) of `data` under the manifest subkey. */
export function manifestMac(keys: ArchiveKeys, data: string): string {
  return createHmac('sha256', subkey(keys, 'manifest-mac')).update(data).digest('hex');
}

/** A fresh random salt. */
export function newSalt(bytes = 16): Buffer {
  return randomBytes(bytes);
}
