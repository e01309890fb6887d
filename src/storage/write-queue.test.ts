import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { AnyDb } from './db.js';
import { WriteQueue } from './write-queue.js';

const database = new Database(':memory:');
database.exec('create table t (k text primary key)');
const kysely = new Kysely<AnyDb>({ dialect: new SqliteDialect({ database }) });
const queue = new WriteQueue(database, kysely);
after(() => kysely.destroy());

const insert = (k: string): Promise<number> => queue.run(() => queue.statement('insert into t (k) values (?)').run(k).changes);
const keys = (): string[] => (database.prepare('select k from t order by k').all() as { k: string }[]).map((r) => r.k);

test('calls of one turn run in order in one transaction; a failing call rejects only its caller', async () => {
  database.exec('delete from t');
  const inTransaction: boolean[] = [];
  const results = await Promise.allSettled([
    insert('a'),
    queue.run(() => inTransaction.push(database.inTransaction)),
    insert('a'),
    insert('b'),
    queue.run(() => (database.prepare('select count(*) as n from t').get() as { n: number }).n),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.deepEqual(inTransaction, [true]);
  assert.equal((results[4] as PromiseFulfilledResult<number>).value, 2);
  assert.deepEqual(keys(), ['a', 'b']);
});

test('a batch waits for a Kysely transaction holding the connection and does not join it', async () => {
  database.exec('delete from t');
  let queued: Promise<number> | undefined;
  await assert.rejects(
    kysely.transaction().execute(async (trx) => {
      await sql`insert into t (k) values ('rolled-back')`.execute(trx);
      queued = insert('kept');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await queued, 1);
  assert.deepEqual(keys(), ['kept']);
});

test('flush resolves once every call queued before it has committed', async () => {
  database.exec('delete from t');
  const pending = [insert('x'), insert('y')];
  await queue.flush();
  assert.deepEqual(keys(), ['x', 'y']);
  await Promise.all(pending);
  await queue.flush();
});
