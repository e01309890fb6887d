/** Agents in the manager: broker + registry over storage + agent plugin + `GET /agents`. */
export { managerDepsWithAgents, type ManagerAgents } from './wiring.js';
export { StorageAgentRegistry } from './storage-registry.js';
export { agentRunDispatcher, readBlueprintResources, DEFAULT_RESOURCE_CAP, type AgentRunContext } from './context-dispatcher.js';
export { agentPluginTasks, agentInstallMethod, installParams, credentialsIssuer, BOOT_SCRIPT_PROPERTY, type AgentPluginDeps } from './agent-plugin.js';
export { registerAgentPlugin } from './register.js';
export { wrapOpenstackServerCreate, combineUserData, localAgentCommand } from './openstack-user-data.js';
export { agentRoutes, agentRows, type AgentListRow } from '../routes/agents.js';
