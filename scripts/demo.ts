/**
 * `npm run demo`: the manager-recovery story end to end on the local cloud, through the real
 * `node bin/cfy.js` binary. Starts its own cloud on a temp folder, prints each step and its
 * duration, and stops everything it started (by pid) at the end, even on failure.
 * `REKINDLE_DEMO_VERBOSE=1` prints every command's output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.env.REKINDLE_DEMO_VERBOSE === '1';

export interface DemoContext {
  work: string;
  cloudDir: string;
  cloudUrl: string;
  env: NodeJS.ProcessEnv;
  /** Runs `cfy ARGS` in `cwd` (default: the work folder); rejects on a non-zero exit unless `allowFail`. */
  cfy(args: string[], options?: { cwd?: string; allowFail?: boolean }): Promise<{ code: number; out: string }>;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, out }));
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a local cloud (detached process group) and a demo context; `finish()` stops everything. */
export async function startDemo(): Promise<{ ctx: DemoContext; finish: () => Promise<void> }> {
  const base = mkdtempSync(join(tmpdir(), 'rekindle-demo-'));
  const cloudDir = join(base, 'cloud');
  const work = join(base, 'work');
  mkdirSync(cloudDir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const net = 101 + Math.floor(Math.random() * 90);
  writeFileSync(
    join(cloudDir, 'cloud.json'),
    JSON.stringify({ floatingPool: { networkName: 'public', cidr: `127.${net}.0.0/24` }, forwardedPorts: [8101, 53333], buildDelayMs: 20, stopGraceMs: 300, monitorIntervalMs: 200 }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, CLOUDIFY_USERNAME: 'admin', CLOUDIFY_PASSWORD: 'demo-admin-password', REKINDLE_DEMO_SUBNET: `127.${net + 1}.0.0/24` };
  const started: ChildProcess[] = [];
  const cloud = spawn(
    process.execPath,
    ['bin/cfy.js', 'cloud', 'start', '--data-dir', cloudDir, '--port', '0', '--manager-command', `bash ${join(repo, 'resources/manager-blueprints/scripts/manager-boot.sh')}`],
    { cwd: repo, env, detached: true, stdio: ['ignore', 'ignore', verbose ? 'inherit' : 'ignore'] },
  );
  started.push(cloud);
  const finish = async (): Promise<void> => {
    // Kill the servers the cloud started (their own process groups), then the cloud.
    try {
      const url = (JSON.parse(readFileSync(join(cloudDir, 'endpoint.json'), 'utf8')) as { url: string }).url;
      const status = (await (await fetch(`${url}/rekindle-admin/status`)).json()) as { servers: { pid: number | null }[] };
      for (const s of status.servers) if (typeof s.pid === 'number') killGroup(s.pid);
    } catch {
      // the cloud is not answering: no servers to find
    }
    for (const child of started) if (child.pid !== undefined) killGroup(child.pid);
    await new Promise((r) => setTimeout(r, 200));
    rmSync(base, { recursive: true, force: true });
  };
  const endpoint = join(cloudDir, 'endpoint.json');
  let cloudUrl: string;
  try {
    cloudUrl = await waitFor('the local cloud', () => (existsSync(endpoint) ? (JSON.parse(readFileSync(endpoint, 'utf8')) as { url: string }).url : undefined));
  } catch (error) {
    await finish();
    throw error;
  }
  const ctx: DemoContext = {
    work,
    cloudDir,
    cloudUrl,
    env,
    async cfy(args, options = {}) {
      const result = await run(process.execPath, [join(repo, 'bin/cfy.js'), ...args], options.cwd ?? work, env);
      if (verbose) process.stdout.write(result.out.replace(/^/gm, '      | '));
      if (result.code !== 0 && !options.allowFail) {
        throw new Error(`cfy ${args.join(' ')} exited ${result.code}:\n${result.out}`);
      }
      return result;
    },
    async step(name, fn) {
      const t0 = Date.now();
      process.stdout.write(`• ${name} ... `);
      try {
        const value = await fn();
        process.stdout.write(`ok (${((Date.now() - t0) / 1000).toFixed(2)} s)\n`);
        return value;
      } catch (error) {
        process.stdout.write(`FAILED (${((Date.now() - t0) / 1000).toFixed(2)} s)\n`);
        throw error;
      }
    },
  };
  return { ctx, finish };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  const { runStory, runPortDeletedScenario } = await import('../test/recovery/story.js');
  const t0 = Date.now();
  let started: Awaited<ReturnType<typeof startDemo>>;
  try {
    started = await startDemo();
  } catch (error) {
    console.error(`Could not start the local cloud: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const { ctx, finish } = started;
  let failed = false;
  try {
    console.log(`Local cloud at ${ctx.cloudUrl}, working folder ${ctx.work}`);
    await runStory(ctx);
    await runPortDeletedScenario(ctx);
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : String(error));
  } finally {
    await finish();
  }
  console.log(`${failed ? 'Demo FAILED' : 'Demo finished'} in ${((Date.now() - t0) / 1000).toFixed(1)} s; everything it started is stopped.`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
