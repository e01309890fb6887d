/**
 * The agent's configuration: a JSON file written by the installer, overridable by flags.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/index.js';
import { isValidAgentName } from '../messaging/index.js';

/** The agent config file (`agent.json`). */
export const agentConfigSchema = z.object({
  name: z.string().refine(isValidAgentName, 'not a valid agent name'),
  broker: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  password: z.string().min(1),
  workDir: z.string().min(1),
  localAddress: z.string().optional(),
  hostId: z.string().nullable().optional(),
  heartbeatMs: z.number().int().min(50).optional(),
  maxConcurrency: z.number().int().min(1).optional(),
  /** A module exporting `createExecutor` (an ExecutorFactory). */
  executor: z.string().optional(),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).optional(),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** Flag values (all optional) that override the config file. */
export interface AgentFlags {
  config?: string;
  name?: string;
  brokerHost?: string;
  brokerPort?: string;
  passwordFile?: string;
  workDir?: string;
  localAddress?: string;
  hostId?: string;
  heartbeatMs?: string;
  executor?: string;
  logLevel?: string;
}

/**
 * Merges the config file (if any), flags and `REKINDLE_AGENT_PASSWORD`, and validates the result.
 * Throws `agent_config_invalid` listing every problem.
 */
export function loadAgentConfig(flags: AgentFlags, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let file: Record<string, unknown> = {};
  if (flags.config !== undefined) {
    try {
      file = JSON.parse(readFileSync(flags.config, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UserError('agent_config_invalid', `Cannot read agent config ${flags.config}: ${error instanceof Error ? error.message : String(error)}`, { details: { path: flags.config } });
    }
  }
  const broker = (file.broker ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = {
    ...file,
    ...(flags.name === undefined ? {} : { name: flags.name }),
    broker: {
      ...broker,
      ...(flags.brokerHost === undefined ? {} : { host: flags.brokerHost }),
      ...(flags.brokerPort === undefined ? {} : { port: Number(flags.brokerPort) }),
    },
    ...(flags.passwordFile === undefined ? {} : { password: readFileSync(flags.passwordFile, 'utf8').trim() }),
    ...(file.password === undefined && flags.passwordFile === undefined && env.REKINDLE_AGENT_PASSWORD !== undefined ? { password: env.REKINDLE_AGENT_PASSWORD } : {}),
    ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }),
    ...(flags.localAddress === undefined ? {} : { localAddress: flags.localAddress }),
    ...(flags.hostId === undefined ? {} : { hostId: flags.hostId }),
    ...(flags.heartbeatMs === undefined ? {} : { heartbeatMs: Number(flags.heartbeatMs) }),
    ...(flags.executor === undefined ? {} : { executor: resolve(flags.executor) }),
    ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
  };
  const parsed = agentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UserError('agent_config_invalid', `Invalid agent configuration: ${problems.join('; ')}`, {
      details: { problems },
      hints: ['Give --config <agent.json> (written by the agent installer) or the --name, --broker-host, --broker-port, --password-file and --work-dir flags'],
    });
  }
  return parsed.data;
}
