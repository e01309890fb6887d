/**
 * A snapshot-capable manager for tests: real SQLite (or PostgreSQL) storage, the manager's
 * services with fake dsl/plan/workflow ports, and a fastify app with the manager's error
 * handler + the snapshots plugin, driven with `inject`. (The manager's own app.ts does not
 * register the plugin yet, so it is assembled here; auth is not part of this app.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { installContentTypes } from '../../src/manager/http/content-type.js';
import { installErrorHandler } from '../../src/manager/http/error-handler.js';
import { snapshotsPlugin } from '../../src/manager/routes/snapshots-plugin.js';
import { BlueprintFiles } from '../../src/manager/services/blueprint-files.js';
import { EventBatcher } from '../../src/manager/services/event-batcher.js';
import { createServices, type ManagerServices } from '../../src/manager/services/index.js';
import { storeWithStorage } from '../../src/manager/services/snapshots-storage.js';
import type { SnapshotService } from '../../src/manager/services/snapshots.js';
import { openStorage, type StoragePort } from '../../src/storage/index.js';
import { fakeParser, fakePlanner, fakeRunner } from '../manager/fakes.js';
import { populate } from '../storage/transfer-helpers.js';

export const fastScrypt = { n: 1024, r: 8, p: 1 };

export interface TestSnapshotManager {
  dataDir: string;
  storage: StoragePort;
  services: ManagerServices;
  snapshots: SnapshotService;
  app: FastifyInstance;
  call(method: string, url: string, options?: { json?: unknown; body?: Buffer }): Promise<LightMyRequestResponse>;
  /** Waits for a system execution started by the snapshot service. */
  settle(executionId: string): Promise<void>;
  close(): Promise<void>;
}

/** A manager on `dataDir` (new temp dir by default) with storage at `storageUrl` (SQLite in the dir by default). */
export async function startSnapshotManager(options: { dataDir?: string; storageUrl?: string; keep?: boolean; restoreReadInWorkerFromRows?: number } = {}): Promise<TestSnapshotManager> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rekindle-snapsvc-'));
  const storage = await openStorage({ url: options.storageUrl ?? `sqlite://${join(dataDir, 'manager.db')}` });
  const store = storeWithStorage(storage);
  const log = pino({ level: 'silent' });
  const events = new EventBatcher({ write: (docs) => store.events.append(docs), onError: () => undefined });
  const services = createServices({
    store, files: new BlueprintFiles(dataDir, { maxBytes: 1 << 24, maxEntries: 1000 }), parser: fakeParser, planner: fakePlanner,
    runner: fakeRunner(), events, now: () => new Date(), log, maxParallelExecutions: 50,
  });
  const app = fastify({ loggerInstance: log }) as unknown as FastifyInstance;
  installErrorHandler(app);
  installContentTypes(app);
  await app.register(snapshotsPlugin, {
    services, config: { dataDir, storageUrl: '' }, version: '0.1.0', scrypt: fastScrypt,
    ...(options.restoreReadInWorkerFromRows === undefined ? {} : { restoreReadInWorkerFromRows: options.restoreReadInWorkerFromRows }),
  });
  await app.ready();
  return {
    dataDir, storage, services, app, snapshots: app.snapshots,
    call(method, url, o = {}) {
      const headers: Record<string, string> = {};
      let payload: string | Buffer | undefined;
      if (o.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(o.json);
      } else if (o.body !== undefined) {
        headers['content-type'] = 'application/octet-stream';
        payload = o.body;
      }
      return app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    },
    settle: (id) => app.snapshots.settled(id),
    async close() {
      await app.close();
      await events.close();
      await storage.close();
      if (!options.keep) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Fills storage with every kind of record (one execution still `started`) plus blueprint files. */
export async function seedManager(m: Pick<TestSnapshotManager, 'storage' | 'dataDir'>, events = 300): Promise<void> {
  await populate(m.storage, events);
  await m.storage.executions.update('ex_d2', { status: 'started', error: null, endedAt: null });
  for (const id of ['bp1']) {
    const dir = join(m.dataDir, 'blueprints', id);
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'blueprint.yaml'), `tosca_definitions_version: cloudify_dsl_1_2\n# ${id}\n`);
    writeFileSync(join(dir, 'scripts', 'install.sh'), '#!/bin/sh\necho installing\n');
    writeFileSync(join(m.dataDir, 'blueprints', `${id}.archive`), Buffer.from(`archive of ${id}`));
  }
}

/** Every exported row, grouped by table. */
export async function dump(storage: StoragePort): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for await (const item of storage.exportAll()) {
    if (item.kind === 'row') (out[item.table] ??= []).push(item.row);
  }
  return out;
}

/** `{relative path: content}` of every file under `dir` (empty when it does not exist). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
