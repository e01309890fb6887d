/**
 * Test harness: a manager on a temp data dir with an in-memory store (or a given one) and the
 * given (or fake) ports, plus helpers for authenticated `inject` calls and small archives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { createManager, type Manager, type ManagerDeps } from '../../src/manager/app.js';
import type { ManagerOptions } from '../../src/manager/config.js';
import { createStorageStore } from '../../src/manager/store/storage-store.js';
import { openStorage } from '../../src/storage/index.js';

export const adminPassword = 'test-admin-password';
export const basicAuth = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;

export interface TestManager {
  manager: Manager;
  dataDir: string;
  /** An authenticated request; `json` bodies are sent as application/json. */
  call(method: string, url: string, options?: { json?: unknown; body?: Buffer | string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Starts a manager for a test; `close()` stops it and removes the data dir. */
export async function startTestManager(
  deps: Partial<ManagerDeps> & Pick<ManagerDeps, 'parser' | 'planner' | 'runner'>,
  options: Partial<ManagerOptions> & { dataDir?: string; keepDataDir?: boolean } = {},
): Promise<TestManager> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rekindle-manager-'));
  const manager = await createManager(
    { adminPassword, logToStderr: false, closeGraceMs: 2000, ...options, dataDir },
    { openStore: async (config) => createStorageStore(await openStorage({ url: config.storageUrl })), announce: () => undefined, ...deps },
  );
  return {
    manager,
    dataDir,
    call(method, url, o = {}) {
      const headers: Record<string, string> = { authorization: basicAuth, ...o.headers };
      let payload: string | Buffer | undefined;
      if (o.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        payload = JSON.stringify(o.json);
      } else if (o.body !== undefined) {
        headers['content-type'] ??= 'application/octet-stream';
        payload = o.body;
      }
      return manager.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    },
    async close() {
      await manager.close();
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tar archive of `{path: content}` (ustar; `type` overrides per entry, e.g. '2' symlink). */
export function makeTar(files: Record<string, string>, types: Record<string, string> = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write(types[name] ?? '0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function makeTarGz(files: Record<string, string>, types: Record<string, string> = {}): Buffer {
  return gzipSync(makeTar(files, types));
}

/** Zip of `{path: content}` built with yazl. */
export async function makeZip(files: Record<string, string>, modes: Record<string, number> = {}): Promise<Buffer> {
  const yazl = (await import('yazl')).default;
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.from(content), name, modes[name] !== undefined ? { mode: modes[name] } : {});
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The fields the tests read from REST bodies. */
export interface Body {
  id: string;
  status: string;
  state: string;
  error: string;
  message: string;
  error_code: string;
  server_traceback: string | null;
  items: Body[];
  metadata: { pagination: { total: number; size: number; offset: number } };
  workflows: { name: string }[];
  workflow_id: string;
  event_type: string;
  is_system_workflow: boolean;
  main_file_name: string;
  details: { diagnostics: unknown[] };
  version: number;
  parameters: Record<string, unknown>;
  outputs: Record<string, unknown>;
  services: { display_name: string }[];
  paths: Record<string, unknown>;
  value: string;
}

/** A REST call with the admin's credentials. */
export async function call(url: string, method = 'GET', body?: { json?: unknown; raw?: Buffer }): Promise<{ status: number; body: Body }> {
  const headers: Record<string, string> = { authorization: basicAuth };
  let payload: string | Buffer | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.raw) {
    headers['content-type'] = 'application/octet-stream';
    payload = body.raw;
  }
  const res = await fetch(url, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  return { status: res.status, body: (await res.json()) as Body };
}

/** Polls `probe` every 100 ms until it returns a value (gives up after `limitMs`). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
