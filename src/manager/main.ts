/**
 * `cfy-manager start --data-dir D [options]`: runs the manager until SIGTERM/SIGINT, then closes
 * gracefully (stop accepting, stop executions, flush events, close storage). Exit codes: 0 after
 * a clean stop, 1 when start-up fails, 2 for usage errors.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isRekindleError } from '../core/index.js';
import { createManager, type ManagerDeps } from './app.js';
import type { ManagerOptions } from './config.js';
import { managerDepsWithAgents } from './agents/index.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a TCP port (0-65535)');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

interface StartFlags {
  dataDir: string;
  host: string;
  port?: number;
  storageUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  adminPasswordFile?: string;
  maxParallelExecutions?: number;
  logLevel: string;
  brokerHost?: string;
  brokerPort?: number;
  brokerUrl?: string;
  broker: boolean;
}

/** Builds the `cfy-manager` program; `onStart` receives the options (tests call it directly). */
export function buildManagerProgram(onStart: (options: ManagerOptions) => Promise<void>): Command {
  const program = new Command('cfy-manager').description('Rekindle manager: REST API, executions, storage');
  program
    .command('start')
    .description('Run the manager in the foreground until SIGTERM or SIGINT')
    .requiredOption('--data-dir <dir>', 'folder for the database, blueprints, logs and the admin password')
    .option('--host <address>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--port <n>', 'TCP port (0 = any free port)', port)
    .option('--storage-url <url>', 'sqlite:///abs/path.db, a file path, or postgres://user:pw@127.0.0.1:5432/db')
    .option('--tls-cert <file>', 'PEM certificate (with --tls-key): serve HTTPS')
    .option('--tls-key <file>', 'PEM private key')
    .option('--admin-password-file <file>', 'first start: the admin password (else REKINDLE_ADMIN_PASSWORD, else generated)')
    .option('--max-parallel-executions <n>', 'most executions active at once (default 50)', positive)
    .option('--log-level <level>', 'log file level: trace, debug, info, warn, error', 'info')
    .option('--broker-host <address>', "agents' broker address: the manager's private IP (default: --host)")
    .option('--broker-port <n>', 'broker port (default 0: a free port, kept in <data-dir>/broker.json)', port)
    .option('--broker-url <url>', 'use an external MQTT broker (mqtt://host:port) instead of the embedded one')
    .option('--no-broker', 'run without a message broker (no agents)')
    .action(async (flags: StartFlags) => {
      const options: ManagerOptions = { dataDir: flags.dataDir, host: flags.host, logLevel: flags.logLevel };
      if (flags.port !== undefined) options.port = flags.port;
      if (flags.storageUrl !== undefined) options.storageUrl = flags.storageUrl;
      if (flags.tlsCert !== undefined) options.tlsCert = flags.tlsCert;
      if (flags.tlsKey !== undefined) options.tlsKey = flags.tlsKey;
      if (flags.adminPasswordFile !== undefined) options.adminPasswordFile = flags.adminPasswordFile;
      if (flags.maxParallelExecutions !== undefined) options.maxParallelExecutions = flags.maxParallelExecutions;
      if (flags.brokerHost !== undefined) options.brokerHost = flags.brokerHost;
      if (flags.brokerPort !== undefined) options.brokerPort = flags.brokerPort;
      if (flags.brokerUrl !== undefined) options.brokerUrl = flags.brokerUrl;
      if (!flags.broker) options.noBroker = true;
      const envPassword = process.env.REKINDLE_ADMIN_PASSWORD;
      if (envPassword !== undefined && envPassword !== '') options.adminPassword = envPassword;
      await onStart(options);
    });
  return program;
}

/** Starts a manager and resolves when it has stopped after a signal. */
export async function runManager(options: ManagerOptions, deps: ManagerDeps = managerDepsWithAgents()): Promise<void> {
  const manager = await createManager(options, deps);
  const url = await manager.listen();
  process.stderr.write(`Rekindle manager listening on ${url} (data dir ${manager.config.dataDir}, pid ${process.pid})\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`Received ${signal}; stopping the manager...\n`);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      manager.close().then(resolve, (error: unknown) => {
        process.stderr.write(`Error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  process.stderr.write('Rekindle manager stopped\n');
}

/** Entry point of bin/cfy-manager.js; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildManagerProgram((options) => runManager(options));
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isRekindleError(error) && error.kind !== 'unexpected') {
      process.stderr.write(`cfy-manager: ${error.message}\n`);
      for (const hint of error.hints) process.stderr.write(`  - ${hint}\n`);
      return 1;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    process.stderr.write(`cfy-manager: unexpected error (please report it): ${err.stack ?? err.message}\n`);
    return 1;
  }
}
