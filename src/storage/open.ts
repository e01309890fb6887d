/** openStorage: picks the adapter from a storage URL. */
import { isAbsolute, resolve } from 'node:path';
import { UserError, type Clock } from '../core/index.js';
import type { StoragePort } from './port.js';
import { openPostgresStorage } from './postgres.js';
import { openSqliteStorage } from './sqlite.js';

export interface OpenStorageOptions {
  /**
   * `sqlite:///abs/path.db`, a file path (relative paths resolve against the working
   * directory), `:memory:`, or `postgres://user:pass@host:port/db` (`postgresql://` too).
   */
  url: string;
  clock?: Clock;
}

/** Where a storage URL points. */
export type StorageTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** Parses a storage URL; throws `storage_url_invalid` for an unknown scheme. */
export function parseStorageUrl(url: string): StorageTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  if (url === ':memory:' || url === 'sqlite::memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite://')) {
    const path = decodeURIComponent(url.slice('sqlite://'.length));
    if (!isAbsolute(path)) throw invalidUrl(url, 'sqlite URLs need an absolute path (sqlite:///abs/path.db)');
    return { dialect: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.trim() === '') throw invalidUrl(url, 'unknown scheme');
  return { dialect: 'sqlite', path: resolve(url) };
}

function invalidUrl(url: string, reason: string): UserError {
  return new UserError('storage_url_invalid', `Invalid storage URL ${JSON.stringify(url)}: ${reason}`, {
    details: { url, reason },
    hints: ['Use sqlite:///absolute/path/manager.db, a file path, or postgres://user:password@127.0.0.1:5432/dbname.'],
  });
}

/** Opens the storage at `url`, creating and migrating the schema as needed. */
export async function openStorage(options: OpenStorageOptions): Promise<StoragePort> {
  const target = parseStorageUrl(options.url);
  const extra = options.clock ? { clock: options.clock } : {};
  return target.dialect === 'postgres' ? openPostgresStorage(target.url, extra) : openSqliteStorage(target.path, extra);
}
