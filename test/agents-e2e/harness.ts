/**
 * Helpers for the agents end-to-end test: a real `cfy-manager` process (started detached, stopped
 * by its process group), REST calls, waits, and the pids of the agents the manager started.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adminPassword, call, makeTarGz, waitFor, type Body } from '../manager/harness.js';

export { call, waitFor };

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

/** Waits for an execution to end; returns its record. */
export async function waitExecution(api: string, id: string, limitMs = 90_000): Promise<Body> {
  return waitFor(`execution ${id} to end`, async () => {
    const { body } = await call(`${api}/executions/${id}`);
    return ['terminated', 'failed', 'cancelled'].includes(String(body.status)) ? body : undefined;
  }, limitMs);
}

/** Starts `workflowId` on a deployment and waits for it to end; returns the execution record. */
export async function runWorkflow(
  api: string,
  deploymentId: string,
  workflowId: string,
  parameters: Record<string, unknown> = {},
  limitMs = 90_000,
): Promise<Body> {
  const started = await call(`${api}/executions`, 'POST', { json: { deployment_id: deploymentId, workflow_id: workflowId, parameters } });
  if (started.status !== 201) throw new Error(`cannot start ${workflowId} on ${deploymentId}: ${JSON.stringify(started.body)}`);
  return waitExecution(api, started.body.id, limitMs);
}

/** A blueprint folder as a tar.gz upload, its files under `top/` (what `cfy blueprints upload` sends). */
export function folderArchive(dir: string, top: string): Buffer {
  const files: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else files[`${top}/${rel}`] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return makeTarGz(files);
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
