/**
 * Helpers for the agents end-to-end test: a real `cfy-manager` process (started detached, stopped
 * by its process group), REST calls, waits, and the pids of the agents the manager started.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adminPassword, basicAuth, type Body } from '../manager/harness.js';

const root = new URL('../..', import.meta.url).pathname;

export interface StartedManager {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `cfy-manager start` and resolves once it listens. */
export function startManager(dataDir: string, extra: string[] = []): Promise<StartedManager> {
  const child = spawn(process.execPath, [join(root, 'bin/cfy-manager.js'), 'start', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', ...extra], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, REKINDLE_ADMIN_PASSWORD: adminPassword },
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1]) resolve({ child, url: match[1], stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`cfy-manager exited with ${code} before listening:\n${stderr}`)));
  });
}

/** Signals a detached child's process group (no-op when gone). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Pids of the agents the manager started (`<dataDir>/agents/<name>/agent.pid`). */
export function agentPids(dataDir: string): Map<string, number> {
  const dir = join(dataDir, 'agents');
  const out = new Map<string, number>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'agent.pid');
    if (existsSync(file)) out.set(name, Number(readFileSync(file, 'utf8').trim()));
  }
  return out;
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

/** Waits for an execution to end; returns its record. */
export async function waitExecution(api: string, id: string, limitMs = 90_000): Promise<Body> {
  return waitFor(`execution ${id} to end`, async () => {
    const { body } = await call(`${api}/executions/${id}`);
    return ['terminated', 'failed', 'cancelled'].includes(String(body.status)) ? body : undefined;
  }, limitMs);
}

/** Runs the `cfy` CLI in `cwd` (synchronously; returns stdout). */
export function cfy(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(root, 'bin/cfy.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CLOUDIFY_USERNAME: 'admin', CLOUDIFY_PASSWORD: adminPassword },
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

export { adminPassword };
