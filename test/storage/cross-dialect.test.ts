/**
 * Export/import across dialects: SQLite -> PostgreSQL -> SQLite, every row equal field by
 * field (the neutral form is dialect-independent).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStorage, type StoragePort } from '../../src/storage/index.js';
import { startPgCluster, type PgCluster } from './pg-cluster.js';
import { sqliteFixture } from './sqlite-fixture.js';
import { collect, populate, rowsByTable } from './transfer-helpers.js';

describe('storage export/import across dialects', () => {
  let cluster: PgCluster | undefined;
  const sqlite = sqliteFixture();
  const opened: StoragePort[] = [];
  const open = async (url: string): Promise<StoragePort> => {
    const storage = await openStorage({ url });
    opened.push(storage);
    return storage;
  };

  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    for (const s of opened) await s.close();
    await cluster?.stop();
    await sqlite.teardown();
  });

  test('SQLite -> PostgreSQL -> SQLite keeps every row equal, field by field', async () => {
    const source = await open(await sqlite.newUrl());
    await populate(source, 2500);
    const fromSqlite = await collect(source);
    const pg = await open(await cluster!.newDatabase());
    await pg.importAll(fromSqlite);
    const fromPg = await collect(pg);
    const header = fromPg[0]!;
    assert.equal(header.kind === 'header' && header.dialect, 'postgres');
    const expected = rowsByTable(fromSqlite);
    const actual = rowsByTable(fromPg);
    for (const table of Object.keys(expected)) {
      assert.equal(actual[table]!.length, expected[table]!.length, table);
      expected[table]!.forEach((row, i) => assert.deepStrictEqual(actual[table]![i], row, `${table} row ${i}`));
    }
    const back = await open(await sqlite.newUrl());
    await back.importAll(fromPg);
    assert.deepStrictEqual(rowsByTable(await collect(back)), expected);
    assert.deepEqual((await pg.integrityCheck()).problems, []);
    assert.deepEqual((await back.integrityCheck()).problems, []);
    const page = await pg.events.list({ offset: 1200, size: 100, deploymentId: 'd1' });
    const samePage = await back.events.list({ offset: 1200, size: 100, deploymentId: 'd1' });
    assert.deepStrictEqual(page, samePage);
  });
});
