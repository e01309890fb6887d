/** Agents in the manager: broker + registry over storage + agent plugin + `GET /agents`. */
export { managerDepsWithAgents, type ManagerAgents } from './wiring.js';
export { StorageAgentRegistry } from './storage-registry.js';
export { agentRunDispatcher, readBlueprintResources, DEFAULT_RESOURCE_CAP, type AgentRunContext } from './context-dispatcher.js';
export { agentPluginTasks, registerAgentPlugin, agentInstallMethod, BOOT_SCRIPT_PROPERTY, type AgentPluginDeps } from './agent-plugin.js';
