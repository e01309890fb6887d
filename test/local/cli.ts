/** Runs the real `cfy` binary (node bin/cfy.js) in a working directory. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cfyBin = fileURLToPath(new URL('../../bin/cfy.js', import.meta.url));

export interface CfyResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cfy ...args` in `cwd` and resolves when it exits. */
export async function cfy(cwd: string, args: string[]): Promise<CfyResult> {
  const run = startCfy(cwd, args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `blueprint.yaml` in `dir` with one Compute node `n` (no agent) whose `create` runs
 * `scripts/<script>`, and that script. Returns the blueprint's path.
 */
export function oneScriptBlueprint(dir: string, script: string, body: string): string {
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const blueprint = join(dir, 'blueprint.yaml');
  writeFileSync(
    blueprint,
    `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_templates:
  n:
    type: cloudify.nodes.Compute
    properties: { ip: 127.0.0.1, install_agent: false }
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/${script}
`,
  );
  writeFileSync(join(dir, 'scripts', script), body);
  return blueprint;
}

/** A `cfy` process still running: its output so far, a poll helper, and its exit. */
export interface RunningCfy {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Polls `check` every 50 ms; fails the test if cfy exits first. */
  until(check: () => boolean): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `cfy ...args` in `cwd` without waiting for it. */
export function startCfy(cwd: string, args: string[]): RunningCfy {
  const child = spawn(process.execPath, [cfyBin, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async until(check) {
      while (!check()) {
        if (child.exitCode !== null) assert.fail(`cfy exited early: ${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
