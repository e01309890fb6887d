/**
 * A throw-away PostgreSQL cluster for tests: started with scripts/pg-throwaway.sh in a temp
 * dir on a free loopback port, stopped with pg_ctl (and, if that fails, by the postmaster's
 * pid). Fails with a message naming scripts/setup.sh when the server binaries are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';

const script = new URL('../../scripts/pg-throwaway.sh', import.meta.url).pathname;

/** A running cluster. */
export interface PgCluster {
  /** Admin URL (database `postgres`). */
  url: string;
  /** Creates an empty database and returns its URL. */
  newDatabase(): Promise<string>;
  /** Runs SQL as the superuser against a database URL. */
  exec(url: string, sql: string): Promise<void>;
  stop(): Promise<void>;
}

/** True when initdb/pg_ctl are installed. */
export function postgresInstalled(): boolean {
  const dirs = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  return dirs.some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) || spawnSync('sh', ['-c', 'command -v initdb']).status === 0;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster. Call `stop()` in `after()`. */
export async function startPgCluster(): Promise<PgCluster> {
  if (!postgresInstalled()) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) are missing: run scripts/setup.sh to install them.');
  }
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-pg-'));
  const port = await freePort();
  const started = spawnSync('bash', [script, 'start', dir, String(port)], { encoding: 'utf8' });
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start the throw-away PostgreSQL cluster (exit ${started.status}): ${started.stderr}`);
  }
  const url = started.stdout.trim();
  let counter = 0;
  const exec = async (target: string, sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    exec,
    async newDatabase() {
      counter += 1;
      const name = `t${process.pid}_${counter}`;
      await exec(url, `create database ${name}`);
      return url.replace(/\/postgres$/, `/${name}`);
    },
    stop() {
      const pidFile = join(dir, 'data', 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      const stopped = spawnSync('bash', [script, 'stop', dir], { encoding: 'utf8' });
      if (stopped.status !== 0 && pid > 0) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/**
 * Defines tests that need a throw-away cluster: one cluster for the file, started in `before()`
 * and stopped in `after()`; `cluster()` gives it to the tests. Without the server binaries the
 * tests still run and fail naming scripts/setup.sh (they are never skipped).
 */
export function onPgCluster(define: (cluster: () => PgCluster) => void): void {
  let cluster: PgCluster | undefined;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    await cluster?.stop();
  });
  define(() => cluster!);
}
