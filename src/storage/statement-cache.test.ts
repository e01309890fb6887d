import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { withStatementCache } from './statement-cache.js';

function open(): Database.Database {
  const db = new Database(':memory:');
  db.exec('create table t (a integer primary key, b text)');
  db.exec("insert into t (b) values ('x'), ('y'), ('z')");
  return db;
}

test('the same SQL text returns the same prepared statement', () => {
  const db = open();
  const cached = withStatementCache(db);
  const first = cached.prepare('select * from t where a = ?');
  assert.equal(cached.prepare('select * from t where a = ?'), first);
  assert.notEqual(cached.prepare('select * from t where b = ?'), first);
  assert.deepEqual(first.all([2]), [{ a: 2, b: 'y' }]);
  cached.close();
  assert.equal(db.open, false);
});

test('a statement being iterated is not handed out again', () => {
  const cached = withStatementCache(open());
  const first = cached.prepare('select * from t');
  const rows = first.iterate([]);
  rows.next();
  const second = cached.prepare('select * from t');
  assert.notEqual(second, first);
  assert.equal(second.all([]).length, 3);
  rows.return?.();
  assert.equal(cached.prepare('select * from t'), first);
  cached.close();
});

test('the least recently used statements leave when the count or the SQL length bound is reached', () => {
  const cached = withStatementCache(open(), { statements: 2, sqlChars: 60 });
  const a = cached.prepare('select a from t');
  const b = cached.prepare('select b from t');
  assert.equal(cached.prepare('select a from t'), a); // a is now the most recent
  cached.prepare('select a, b from t'); // evicts b (count bound)
  assert.equal(cached.prepare('select a from t'), a);
  assert.notEqual(cached.prepare('select b from t'), b);
  const long = `select a from t where b in (${Array.from({ length: 20 }, () => '?').join(', ')})`;
  assert.notEqual(cached.prepare(long), cached.prepare(long)); // longer than the bound: never cached
  cached.prepare('select a, b, a + 1 from t where a > 0'); // 38 chars: the others leave (length bound)
  assert.notEqual(cached.prepare('select a from t'), a);
  cached.close();
});
