/**
 * The agent's default operation runner: the plugin runtime's in-process dispatcher with the
 * built-in plugins, as on the manager. The deployment ports come from the context snapshot the
 * manager attaches to each task (docs/decisions/agent-operation-context.md); the value returned
 * to the manager carries the runtime properties the operation changed.
 */
import { NonRecoverableError } from '../core/index.js';
import type { OperationDispatcherPort, OperationInvocation } from '../engine/ports.js';
import { invocationContext } from '../messaging/index.js';
import type { AgentOperationOutcome } from '../messaging/index.js';
import { InProcessDispatcherAdapter, PluginRegistry, registerBuiltinPlugins } from '../plugins/index.js';
import type { DeploymentPorts } from '../plugins/index.js';
import type { ExecutorDependencies } from './agent.js';
import { snapshotPorts } from './context-ports.js';
import type { SnapshotPorts } from './context-ports.js';

/**
 * Builds the plugin-runtime dispatcher for an agent. Without `ports`, each task's ports are
 * built from its context snapshot and the result is an {@link AgentOperationOutcome}.
 */
export function createPluginExecutor(deps: ExecutorDependencies, ports?: DeploymentPorts | ((invocation: OperationInvocation) => DeploymentPorts)): OperationDispatcherPort {
  const registry = registerBuiltinPlugins(new PluginRegistry());
  if (ports !== undefined) return new InProcessDispatcherAdapter({ registry, events: deps.events, ports });
  const perTask = new WeakMap<OperationInvocation, SnapshotPorts>();
  const inner = new InProcessDispatcherAdapter({
    registry,
    events: deps.events,
    ports: (invocation) => {
      const found = perTask.get(invocation);
      if (found === undefined) throw new NonRecoverableError(`Agent ${deps.agentName} cannot run ${invocation.operation.name}: the task carries no deployment context (is the manager older than the agent?)`);
      return found;
    },
  });
  return {
    async run(invocation, signal) {
      const context = invocationContext(invocation);
      if (context === null) {
        throw new NonRecoverableError(`Agent ${deps.agentName} cannot run ${invocation.operation.name}: the task carries no deployment context (is the manager older than the agent?)`);
      }
      const taskPorts = snapshotPorts(context, deps.agentName);
      perTask.set(invocation, taskPorts);
      const value = await inner.run(invocation, signal);
      return { rekindleOutcome: 1, value: value ?? null, changes: taskPorts.changes() } satisfies AgentOperationOutcome;
    },
  };
}

/** The factory the binary uses when no `--executor` module is given. */
export const createExecutor = (deps: ExecutorDependencies): OperationDispatcherPort => createPluginExecutor(deps);
