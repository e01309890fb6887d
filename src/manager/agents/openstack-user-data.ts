/**
 * install_method `init_script` on OpenStack servers: the manager wraps the OpenStack plugin's
 * `nova_plugin.server.create` so the server's user data starts the agent at boot. The agent's
 * credentials are issued here (the server is created before the `cloudify_agent` operations
 * run); the host instance gets `cloudify_agent` and {@link BOOT_SCRIPT_PROPERTY}, and the agent
 * plugin's create/configure/start then only record and wait.
 */
import { join, resolve } from 'node:path';
import { createAgent, initScript } from '../../agent/index.js';
import type { OperationContext, PluginFunction, PluginRegistry } from '../../plugins/index.js';
import { BOOT_SCRIPT_PROPERTY, agentInstallMethod, installParams, credentialsIssuer } from './agent-plugin.js';
import type { AgentPluginDeps } from './agent-plugin.js';

const OPENSTACK = 'openstack';
const SERVER_CREATE = 'nova_plugin.server.create';

/** The command the boot script runs: this package's `cfy-agent` with this Node (hosts of the local cloud share the machine). */
export function localAgentCommand(): string {
  const bin = resolve(new URL('../../../bin/cfy-agent.js', import.meta.url).pathname);
  return `'${process.execPath}' '${bin}'`;
}

/** Puts the agent script before the user's own user data (a shell script; its `#!` line is dropped). */
export function combineUserData(agentScript: string, userData: unknown): string {
  if (typeof userData !== 'string' || userData.trim() === '') return agentScript;
  const body = userData.startsWith('#!') ? userData.slice(userData.indexOf('\n') + 1) : userData;
  return `${agentScript}\n# user data of the blueprint\n${body}`;
}

function withUserData(ctx: OperationContext, userData: string): OperationContext {
  const props = ctx.node.properties;
  const server = typeof props['server'] === 'object' && props['server'] !== null ? (props['server'] as Record<string, unknown>) : {};
  const { user_data: _ignored, ...rest } = server;
  return { ...ctx, node: { ...ctx.node, properties: { ...props, server: { ...rest, userdata: userData } } } };
}

/** Wraps the registered OpenStack server create (when there is one). */
export function wrapOpenstackServerCreate(registry: PluginRegistry, deps: AgentPluginDeps, agentCommand = localAgentCommand()): void {
  if (!registry.has(OPENSTACK, SERVER_CREATE)) return;
  const inner: PluginFunction = registry.resolve(OPENSTACK, SERVER_CREATE);
  registry.register(OPENSTACK, SERVER_CREATE, async (ctx, inputs, signal) => {
    if (agentInstallMethod(ctx.node.properties) !== 'init_script' || ctx.instance.runtimeProperties['external_id'] !== undefined) return inner(ctx, inputs, signal);
    const { localAddress: _unknownYet, ...params } = installParams(ctx, deps);
    const created = await createAgent(params, credentialsIssuer(deps.registry));
    if (created.config === null || created.runtimeProperties === null) return inner(ctx, inputs, signal);
    const script = initScript(created.config, join(params.workDir, 'agent.json'), agentCommand);
    Object.assign(ctx.instance.runtimeProperties, created.runtimeProperties, { [BOOT_SCRIPT_PROPERTY]: true });
    const args = typeof inputs['args'] === 'object' && inputs['args'] !== null ? (inputs['args'] as Record<string, unknown>) : {};
    const server = (ctx.node.properties['server'] ?? {}) as Record<string, unknown>;
    const userData = args['userdata'] ?? args['user_data'] ?? server['userdata'] ?? server['user_data'];
    const combined = combineUserData(script, userData);
    const { userdata: _a, user_data: _b, ...otherArgs } = args;
    ctx.logger.info(`Server user data starts agent ${params.agentName} at boot (install_method init_script)`);
    return inner(withUserData(ctx, combined), { ...inputs, args: otherArgs }, signal);
  });
}
