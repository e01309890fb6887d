/** The manager's end-to-end suite on a throw-away PostgreSQL cluster (test/storage/pg-cluster.ts). */
import { after, before, test } from 'node:test';
import { postgresInstalled, startPgCluster, type PgCluster } from '../storage/pg-cluster.js';
import { defineEndToEnd } from './end-to-end-suite.js';

if (!postgresInstalled()) {
  test('manager end-to-end on PostgreSQL', { skip: 'initdb/pg_ctl are missing: run scripts/setup.sh' }, () => undefined);
} else {
  let cluster: PgCluster | undefined;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });
  defineEndToEnd('PostgreSQL', () => cluster!.newDatabase());
}
