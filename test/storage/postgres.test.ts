/** The storage conformance suite on a throw-away PostgreSQL cluster started by the test. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineStorageConformance, type StorageFixture } from './conformance.js';
import { postgresInstalled, startPgCluster } from './pg-cluster.js';

test('PostgreSQL server binaries are installed (else: run scripts/setup.sh)', () => {
  assert.ok(postgresInstalled(), 'initdb/pg_ctl not found: run scripts/setup.sh to install PostgreSQL');
});

defineStorageConformance('postgres', async (): Promise<StorageFixture> => {
  const cluster = await startPgCluster();
  return { newUrl: () => cluster.newDatabase(), exec: (url, sql) => cluster.exec(url, sql), teardown: () => cluster.stop() };
});
