/** Registers the `agent` plugin and the OpenStack user-data hook in the manager's plugin registry. */
import type { PluginRegistry } from '../../plugins/index.js';
import { agentPluginTasks } from './agent-plugin.js';
import type { AgentPluginDeps } from './agent-plugin.js';
import { wrapOpenstackServerCreate } from './openstack-user-data.js';

/** Registers the `agent` plugin (and makes OpenStack server create start init_script agents at boot). */
export function registerAgentPlugin(registry: PluginRegistry, deps: AgentPluginDeps): PluginRegistry {
  registry.registerPlugin('agent', agentPluginTasks(deps));
  wrapOpenstackServerCreate(registry, deps);
  return registry;
}
