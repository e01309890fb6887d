/** Temp-dir SQLite databases for the conformance suite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StorageFixture } from './conformance.js';

/** Each `newUrl()` is a fresh database file under one temp dir, removed by teardown. */
export function sqliteFixture(): StorageFixture {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-sqlite-'));
  let counter = 0;
  return {
    newUrl() {
      counter += 1;
      return Promise.resolve(`sqlite://${join(dir, `db${counter}.sqlite`)}`);
    },
    exec(url, sql) {
      const db = new Database(url.slice('sqlite://'.length));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
      return Promise.resolve();
    },
    teardown() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
