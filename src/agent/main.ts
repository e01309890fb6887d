/**
 * `cfy-agent`: the agent process. Loads its config, builds the operation runner, connects to the
 * manager's broker (retrying forever) and runs tasks until SIGTERM/SIGINT (graceful stop).
 */
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { isRekindleError } from '../core/index.js';
import { Agent } from './agent.js';
import type { ExecutorFactory } from './agent.js';
import { loadAgentConfig } from './config.js';
import type { AgentFlags } from './config.js';
import { FileTaskLedger } from './task-ledger.js';

/** Finished task records older than this are pruned at start. */
const LEDGER_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Runs the agent; resolves with the exit code once it stopped. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('cfy-agent')
    .description('Rekindle agent: runs host operations sent by the manager')
    .option('-c, --config <file>', 'agent config JSON (written by the installer)')
    .option('--name <name>', 'agent name (default in Cloudify: the host node instance id)')
    .option('--broker-host <ip>', "manager's private IP")
    .option('--broker-port <port>', 'broker port')
    .option('--password-file <file>', 'file holding the agent secret (or set REKINDLE_AGENT_PASSWORD)')
    .option('--work-dir <dir>', 'where the agent keeps its task records')
    .option('--local-address <ip>', "source address for the broker connection (the host's IP)")
    .option('--host-id <id>', 'host node instance id')
    .option('--heartbeat-ms <ms>', 'status heartbeat period')
    .option('--executor <module>', 'module exporting createExecutor (default: the plugin runtime)')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    return typeof (error as { exitCode?: unknown }).exitCode === 'number' ? (error as { exitCode: number }).exitCode : 2;
  }
  const logger = pino({ level: 'info', base: { component: 'agent' } });
  try {
    const config = loadAgentConfig(program.opts<AgentFlags>());
    logger.level = config.logLevel ?? 'info';
    mkdirSync(config.workDir, { recursive: true });
    // Operations' scripts can tell which agent runs them.
    process.env.REKINDLE_AGENT_NAME = config.name;
    const ledger = new FileTaskLedger(config.workDir);
    ledger.prune(LEDGER_RETENTION_MS);
    const createExecutor = await loadExecutor(config.executor);
    const agent = new Agent({
      name: config.name,
      brokerUrl: `mqtt://${config.broker.host}:${config.broker.port}`,
      password: config.password,
      workDir: config.workDir,
      ledger,
      createExecutor,
      hostId: config.hostId ?? null,
      logger: logger.child({ agent: config.name }),
      ...(config.localAddress === undefined ? {} : { localAddress: config.localAddress }),
      ...(config.heartbeatMs === undefined ? {} : { heartbeatMs: config.heartbeatMs }),
      ...(config.maxConcurrency === undefined ? {} : { maxConcurrency: config.maxConcurrency }),
    });
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        logger.info({ signal }, 'stopping');
        agent.stop().then(resolve, resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await agent.start({ waitConnected: false });
    logger.info({ name: config.name, broker: `${config.broker.host}:${config.broker.port}`, localAddress: config.localAddress ?? null }, 'agent started');
    await stopped;
    logger.info('agent stopped');
    return 0;
  } catch (error) {
    if (isRekindleError(error)) logger.error({ code: error.code, details: error.details }, error.message);
    else logger.error({ err: error }, 'agent failed');
    return 1;
  }
}

async function loadExecutor(modulePath: string | undefined): Promise<ExecutorFactory> {
  const module = (await import(modulePath === undefined ? './default-executor.js' : pathToFileURL(modulePath).href)) as { createExecutor?: unknown };
  if (typeof module.createExecutor !== 'function') {
    throw new Error(`Executor module ${modulePath ?? 'default'} does not export a createExecutor function`);
  }
  return module.createExecutor as ExecutorFactory;
}
