/**
 * The `agent` plugin's installer operations (`cloudify_agent.installer.operations.create`,
 * `configure`, `start`, `stop`, `delete`) as plain functions; the manager wires them into the
 * plugin registry. The agent reaches the manager at `broker` (the manager's private IP, which
 * must stay fixed across manager recovery: see docs/agent.md).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NonRecoverableError, RecoverableError, writeFileAtomic } from '../../core/index.js';
import { assertAgentName } from '../../messaging/index.js';
import type { AgentCredentials } from '../../messaging/index.js';
import type { AgentConfig } from '../config.js';
import { AGENT_VERSION } from '../version.js';
import { parseInstallMethod } from './install-method.js';
import type { InstallMethod } from './install-method.js';

/** Issues and revokes agent credentials (the manager: `issueAgentCredentials` on its registry). */
export interface CredentialsIssuerPort {
  /**
   * New credentials for the agent, replacing any it had (`create` may be retried, and every
   * attempt hands out a fresh config): `issueAgentCredentials(registry, name, { hostId, replace: true })`.
   */
  issue(agentName: string, hostId: string): Promise<AgentCredentials>;
  revoke(agentName: string): Promise<void>;
}

/** What every installer operation needs. */
export interface AgentInstallParams {
  /** Default in Cloudify: the host node instance id. */
  agentName: string;
  hostId: string;
  /** The host's `agent_config.install_method` (default `init_script`). */
  installMethod?: unknown;
  /** The manager's private address and broker port. */
  broker: { host: string; port: number };
  /** The agent's work dir on its host. */
  workDir: string;
  /** The host's address; the agent binds it as its source address. */
  localAddress?: string;
}

/** The `cloudify_agent` runtime property of the host instance (no secrets in it). */
export interface CloudifyAgentProperties {
  name: string;
  queue: string;
  install_method: InstallMethod;
  broker_ip: string;
  broker_port: number;
  work_dir: string;
  version: string;
  config_path: string;
}

/** What `create` returns. */
export interface AgentCreateResult {
  runtimeProperties: { cloudify_agent: CloudifyAgentProperties } | null;
  /** The agent's config, secret included: deliver it to the host, never store it in runtime properties. */
  config: AgentConfig | null;
  /** For `init_script`: the script the server runs at boot (writes the config, starts the agent). */
  initScript: string | null;
}

/** `create`: issues credentials and builds the agent config (and init script). `none`: nothing. */
export async function createAgent(params: AgentInstallParams, issuer: CredentialsIssuerPort): Promise<AgentCreateResult> {
  const method = parseInstallMethod(params.installMethod);
  if (method === 'none') return { runtimeProperties: null, config: null, initScript: null };
  assertAgentName(params.agentName);
  const credentials = await issuer.issue(params.agentName, params.hostId);
  const configPath = join(params.workDir, 'agent.json');
  const config: AgentConfig = {
    name: params.agentName,
    broker: { host: params.broker.host, port: params.broker.port },
    password: credentials.password,
    workDir: params.workDir,
    hostId: params.hostId,
    ...(params.localAddress === undefined ? {} : { localAddress: params.localAddress }),
  };
  const properties: CloudifyAgentProperties = {
    name: params.agentName,
    queue: params.agentName,
    install_method: method,
    broker_ip: params.broker.host,
    broker_port: params.broker.port,
    work_dir: params.workDir,
    version: AGENT_VERSION,
    config_path: configPath,
  };
  return { runtimeProperties: { cloudify_agent: properties }, config, initScript: method === 'init_script' ? initScript(config, configPath) : null };
}

/** The boot script of `init_script`: writes the config (mode 600) and starts `cfy-agent` in the background. */
export function initScript(config: AgentConfig, configPath: string, agentCommand = 'cfy-agent'): string {
  const json = JSON.stringify(config).replace(/'/g, "'\\''");
  return [
    '#!/bin/sh',
    '# Rekindle agent installation (install_method: init_script)',
    'set -e',
    `mkdir -p '${config.workDir}'`,
    'umask 077',
    `printf '%s' '${json}' > '${configPath}'`,
    `nohup ${agentCommand} --config '${configPath}' >> '${join(config.workDir, 'agent.log')}' 2>&1 &`,
    `echo $! > '${join(config.workDir, 'agent.pid')}'`,
    '',
  ].join('\n');
}

/** `configure`: writes the config file on a host whose file system this process sees (mode 600). */
export function configureAgent(params: AgentInstallParams, config: AgentConfig | null): string | null {
  if (parseInstallMethod(params.installMethod) === 'none' || config === null) return null;
  const path = join(params.workDir, 'agent.json');
  mkdirSync(params.workDir, { recursive: true });
  writeFileAtomic(path, JSON.stringify(config, null, 2), 0o600);
  return path;
}

/** Options of {@link startAgent}. */
export interface StartAgentOptions {
  /** Resolves true once the manager sees the agent online. */
  waitOnline?: (agentName: string, timeoutMs: number) => Promise<boolean>;
  /** @default 30000 */
  timeoutMs?: number;
  /** The `cfy-agent` entry point. @default bin/cfy-agent.js of this package */
  agentBin?: string;
}

/**
 * `start`: for `init_script` on a local host, spawns `cfy-agent --config` detached (its own
 * process group, pid in `<workDir>/agent.pid`); for `provided`, only waits for the agent. Fails
 * with a RecoverableError (retried) when the agent is not online in time.
 */
export async function startAgent(params: AgentInstallParams, options: StartAgentOptions = {}): Promise<{ pid: number | null }> {
  const method = parseInstallMethod(params.installMethod);
  if (method === 'none') return { pid: null };
  let pid: number | null = null;
  if (method === 'init_script') {
    const bin = options.agentBin ?? resolve(dirname(new URL(import.meta.url).pathname), '../../../bin/cfy-agent.js');
    const log = openSync(join(params.workDir, 'agent.log'), 'a');
    const child = spawn(process.execPath, [bin, '--config', join(params.workDir, 'agent.json')], { detached: true, stdio: ['ignore', log, log], env: agentEnv(process.env) });
    closeSync(log);
    child.unref();
    pid = child.pid ?? null;
    if (pid !== null) writeFileSync(join(params.workDir, 'agent.pid'), String(pid));
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (options.waitOnline !== undefined && !(await options.waitOnline(params.agentName, timeoutMs))) {
    throw new RecoverableError(`Agent ${params.agentName} did not come online within ${timeoutMs} ms (see ${join(params.workDir, 'agent.log')})`);
  }
  return { pid };
}

/** `stop`: SIGTERM to the agent's process group (graceful), SIGKILL after `timeoutMs`. */
export async function stopAgent(params: AgentInstallParams, timeoutMs = 15_000): Promise<{ stopped: boolean }> {
  if (parseInstallMethod(params.installMethod) !== 'init_script') return { stopped: false };
  let pid: number;
  try {
    pid = Number(readFileSync(join(params.workDir, 'agent.pid'), 'utf8').trim());
  } catch {
    return { stopped: false };
  }
  if (!Number.isInteger(pid) || pid <= 0) throw new NonRecoverableError(`Bad pid file ${join(params.workDir, 'agent.pid')}`);
  if (!signalGroup(pid, 'SIGTERM')) return { stopped: false };
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) signalGroup(pid, 'SIGKILL');
  rmSync(join(params.workDir, 'agent.pid'), { force: true });
  return { stopped: true };
}

/** `delete`: revokes the agent's credentials and removes its work dir. */
export async function deleteAgent(params: AgentInstallParams, issuer: CredentialsIssuerPort): Promise<void> {
  if (parseInstallMethod(params.installMethod) === 'none') return;
  await issuer.revoke(params.agentName);
  rmSync(params.workDir, { recursive: true, force: true });
}

/** The environment a locally started agent gets: this process's, without its secrets (the manager's admin password...). */
export function agentEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/PASSWORD|SECRET|TOKEN|CREDENTIAL/i.test(key)));
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
