/** Child processes for agent chaos tests: a stand-in manager and real `cfy-agent` processes. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OperationInvocation } from '../../src/engine/ports.js';

const root = new URL('../..', import.meta.url).pathname;

/** A free TCP port on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Waits for a child to exit. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Kills a detached child's process group with `signal` and waits for it to exit. */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
  await exited(child);
}

export interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; agentName: string | null };
}

/** The stand-in manager (test/agent/fixtures/manager-process.ts). */
export class ManagerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly #waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  #next = 1;

  private constructor(child: ChildProcess, url: string, lines: AsyncIterable<string>) {
    this.child = child;
    this.url = url;
    child.once('exit', () => {
      for (const waiter of this.#waiting.values()) waiter.reject(new Error('manager process exited'));
      this.#waiting.clear();
    });
    void (async () => {
      for await (const line of lines) {
        const reply = JSON.parse(line) as Reply;
        this.#waiting.get(reply.id)?.resolve(reply);
        this.#waiting.delete(reply.id);
      }
    })();
  }

  static async start(options: { data: string; secret: string; host?: string; port?: number; url?: string }): Promise<ManagerProcess> {
    const args = ['--data', options.data, '--secret', options.secret, ...(options.url === undefined ? ['--host', options.host!, '--port', String(options.port)] : ['--url', options.url])];
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/agent/fixtures/manager-process.ts'), ...args], { cwd: root, detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next(), exited(child).then(() => ({ done: true, value: undefined }))]);
    if (first.done === true || first.value === undefined) throw new Error('manager process exited before it was ready');
    const ready = JSON.parse(first.value) as { url: string };
    return new ManagerProcess(child, ready.url, { [Symbol.asyncIterator]: () => lines });
  }

  #call(command: Record<string, unknown>): Promise<Reply> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return reject(new Error('manager process exited'));
      this.#waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`, (error) => error && reject(error));
    });
  }

  run(invocation: OperationInvocation): Promise<Reply> {
    return this.#call({ cmd: 'run', invocation });
  }
  awaitTask(taskId: string): Promise<Reply> {
    return this.#call({ cmd: 'await', taskId });
  }
  async agents(): Promise<{ agents: Array<{ name: string; state: string }>; addresses: Record<string, string | null> | null }> {
    return (await this.#call({ cmd: 'agents' })).value as { agents: Array<{ name: string; state: string }>; addresses: Record<string, string | null> | null };
  }
  async onlineAgents(): Promise<string[]> {
    return (await this.agents()).agents.filter((a) => a.state === 'online').map((a) => a.name);
  }
  kill(): Promise<void> {
    return killGroup(this.child);
  }
  async stop(): Promise<void> {
    this.child.stdin!.end();
    await killGroup(this.child, 'SIGTERM');
  }
}

/** A real agent: `node bin/cfy-agent.js --config <file>`, logging to `<workDir>/agent.log`. */
export class AgentProcess {
  child: ChildProcess;
  readonly configPath: string;
  readonly workDir: string;

  private constructor(child: ChildProcess, configPath: string, workDir: string) {
    this.child = child;
    this.configPath = configPath;
    this.workDir = workDir;
  }

  /** Writes the agent's config file and starts it. */
  static start(config: { name: string; brokerHost: string; brokerPort: number; password: string; workDir: string; localAddress: string }): AgentProcess {
    const configPath = join(config.workDir, 'agent.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        name: config.name,
        broker: { host: config.brokerHost, port: config.brokerPort },
        password: config.password,
        workDir: config.workDir,
        localAddress: config.localAddress,
        hostId: config.name,
        heartbeatMs: 500,
        executor: join(root, 'test/agent/fixtures/test-executor.ts'),
        logLevel: 'debug',
      }),
      { mode: 0o600 },
    );
    return new AgentProcess(AgentProcess.#spawn(configPath, config.workDir), configPath, config.workDir);
  }

  static #spawn(configPath: string, workDir: string): ChildProcess {
    const log = openSync(join(workDir, 'agent.log'), 'a');
    const child = spawn(process.execPath, [join(root, 'bin/cfy-agent.js'), '--config', configPath], { cwd: root, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    return child;
  }

  /** Starts the agent again with the same config and work dir. */
  restart(): void {
    this.child = AgentProcess.#spawn(this.configPath, this.workDir);
  }
  kill(): Promise<void> {
    return killGroup(this.child);
  }
  /** SIGTERM (graceful stop); resolves with the exit code. */
  async stop(): Promise<number | null> {
    await killGroup(this.child, 'SIGTERM');
    return this.child.exitCode;
  }
}
