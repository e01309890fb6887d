/**
 * The `agent` plugin (`cloudify.interfaces.cloudify_agent` operations of cloudify.nodes.Compute),
 * run by the manager (central_deployment_agent). Registered in the manager's plugin registry by
 * the agents wiring: it needs the manager's broker address and agent registry, which plugins/
 * cannot see (dependency direction), so it lives with the composition root.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { NonRecoverableError } from '../../core/index.js';
import { configureAgent, createAgent, deleteAgent, startAgent, stopAgent } from '../../agent/index.js';
import type { AgentInstallParams, CredentialsIssuerPort } from '../../agent/index.js';
import { issueAgentCredentials } from '../../messaging/index.js';
import type { AgentRegistryPort, AgentTracker } from '../../messaging/index.js';
import type { OperationContext, PluginFunction } from '../../plugins/index.js';

/** What the agent plugin needs from the manager. */
export interface AgentPluginDeps {
  registry: AgentRegistryPort;
  tracker: () => AgentTracker | null;
  /** The broker address agents connect to (the manager's private IP and broker port). */
  broker: () => { host: string; port: number } | null;
  /** Default parent of agents' work dirs (a local host's agent keeps its files there): `<dataDir>/agents`. */
  agentsDir: () => string;
  /** How long start waits for the agent to come online. @default 30000 */
  onlineTimeoutMs?: number;
}

/** Runtime property of a host whose server runs the agent install script at boot (set by the OpenStack plugin). */
export const BOOT_SCRIPT_PROPERTY = 'rekindle_agent_boot_script';

const TASK = 'cloudify_agent.installer.operations.';

const bootScript = (ctx: OperationContext): boolean => ctx.instance.runtimeProperties[BOOT_SCRIPT_PROPERTY] === true;

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The host's agent install method, as the workflows read it (`install_agent: false` = none). */
export function agentInstallMethod(properties: Record<string, unknown>): unknown {
  if (properties['install_agent'] === false) return 'none';
  return object(properties['agent_config'])['install_method'] ?? object(properties['cloudify_agent'])['install_method'] ?? 'remote';
}

/** The installer parameters of the host `ctx` runs for. */
export function installParams(ctx: OperationContext, deps: AgentPluginDeps): AgentInstallParams {
  const broker = deps.broker();
  if (broker === null) throw new NonRecoverableError('The manager runs without a message broker: agents cannot be installed (start cfy-manager with a broker)');
  const props = ctx.node.properties;
  const extra = object(object(props['agent_config'])['extra']);
  const name = ctx.instance.id;
  if (!isAbsolute(deps.agentsDir())) throw new NonRecoverableError('The manager has no agents folder yet (is it started?)');
  const ip = ctx.instance.hostIp ?? (typeof props['ip'] === 'string' && props['ip'] !== '' ? props['ip'] : undefined);
  return {
    agentName: name,
    hostId: name,
    installMethod: agentInstallMethod(props),
    broker,
    workDir: typeof extra['work_dir'] === 'string' ? extra['work_dir'] : join(deps.agentsDir(), name),
    ...(ip === undefined ? {} : { localAddress: ip }),
  };
}

/** Issues (replacing) and revokes credentials in the registry. */
export function credentialsIssuer(registry: AgentRegistryPort): CredentialsIssuerPort {
  return {
    issue: (name, hostId) => issueAgentCredentials(registry, name, { hostId, replace: true }),
    revoke: (name) => registry.remove(name),
  };
}

function waitOnline(deps: AgentPluginDeps): (name: string, timeoutMs: number) => Promise<boolean> {
  return async (name, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (deps.tracker()?.get(name)?.state === 'online') return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
}

/** The agent plugin's tasks. */
export function agentPluginTasks(deps: AgentPluginDeps): Record<string, PluginFunction> {
  const start = async (ctx: OperationContext): Promise<unknown> => {
    const p = installParams(ctx, deps);
    // init_script on a server that runs the script at boot (OpenStack user data): only wait.
    const method = bootScript(ctx) ? 'provided' : p.installMethod;
    const result = await startAgent({ ...p, installMethod: method }, { waitOnline: waitOnline(deps), timeoutMs: deps.onlineTimeoutMs ?? 30_000 });
    ctx.logger.info(`Agent ${p.agentName} is online${result.pid === null ? '' : ` (pid ${result.pid})`}`);
    return result;
  };
  const stop = async (ctx: OperationContext): Promise<unknown> => stopAgent(installParams(ctx, deps));
  return {
    [`${TASK}create`]: async (ctx) => {
      const p = installParams(ctx, deps);
      if (bootScript(ctx)) {
        ctx.logger.info(`Agent ${p.agentName} is installed by the server's user data (credentials issued at server create)`);
        return null;
      }
      const created = await createAgent(p, credentialsIssuer(deps.registry));
      if (created.runtimeProperties !== null) Object.assign(ctx.instance.runtimeProperties, created.runtimeProperties);
      // The secret never goes into runtime properties: it is written to the agent's config file
      // (mode 600) now, the only time it is known.
      const path = configureAgent(p, created.config);
      if (path !== null) ctx.logger.info(`Agent ${p.agentName} credentials issued; config written to ${path}`);
      return null;
    },
    [`${TASK}configure`]: (ctx) => {
      const p = installParams(ctx, deps);
      if (!bootScript(ctx) && agentInstallMethod(ctx.node.properties) !== 'none' && !existsSync(join(p.workDir, 'agent.json'))) {
        throw new NonRecoverableError(`Agent ${p.agentName} has no config at ${join(p.workDir, 'agent.json')}: run cloudify_agent create first`);
      }
      return Promise.resolve(null);
    },
    [`${TASK}start`]: start,
    [`${TASK}stop`]: stop,
    [`${TASK}restart`]: async (ctx) => {
      await stop(ctx);
      return start(ctx);
    },
    [`${TASK}delete`]: async (ctx) => {
      const p = installParams(ctx, deps);
      await deleteAgent(p, credentialsIssuer(deps.registry));
      delete ctx.instance.runtimeProperties['cloudify_agent'];
      delete ctx.instance.runtimeProperties[BOOT_SCRIPT_PROPERTY];
      return null;
    },
    'cloudify_agent.operations.stop': stop,
    'cloudify_agent.operations.restart': async (ctx) => {
      await stop(ctx);
      return start(ctx);
    },
    'cloudify_agent.operations.install_plugins': () => Promise.resolve(null),
    'cloudify_agent.operations.create_agent_amqp': () => Promise.reject(new NonRecoverableError('create_amqp (agent migration between managers) is not supported by Rekindle')),
  };
}
