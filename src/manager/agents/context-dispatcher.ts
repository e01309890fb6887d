/**
 * The manager's side of agent operations (docs/decisions/agent-operation-context.md): attaches
 * a context snapshot to each `host_agent` invocation, sends it through the messaging dispatcher
 * and applies the runtime properties the operation changed, version-checked.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RecoverableError, isRekindleError } from '../../core/index.js';
import type { EventSinkPort, InstanceStorePort, NodeInstanceState, OperationDispatcherPort, OperationInvocation } from '../../engine/index.js';
import { isAgentOutcome } from '../../messaging/index.js';
import type { AgentDispatcher, AgentOperationContext, InvocationWithContext } from '../../messaging/index.js';
import type { DeploymentModel } from '../../plan/index.js';

/** Most bytes of blueprint resources sent with one task. @default 4 MiB */
export const DEFAULT_RESOURCE_CAP = 4 * 1024 * 1024;

/** What one workflow run gives the agent dispatcher. */
export interface AgentRunContext {
  model: DeploymentModel;
  instances: InstanceStorePort;
  blueprintDir: string;
  events: EventSinkPort;
}

/** Blueprint files (relative `/` paths -> base64), up to `cap` bytes in total. */
export function readBlueprintResources(dir: string, cap = DEFAULT_RESOURCE_CAP): Pick<AgentOperationContext, 'resources' | 'omittedResources'> {
  const resources: Record<string, string> = {};
  const omittedResources: string[] = [];
  let total = 0;
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const key = relative(dir, path).split(sep).join('/');
        const size = statSync(path).size;
        if (total + size > cap) omittedResources.push(key);
        else {
          resources[key] = readFileSync(path).toString('base64');
          total += size;
        }
      }
    }
  };
  walk(dir);
  return { resources, omittedResources };
}

/**
 * The node instances an invocation may read: its own, the targets of its relationships
 * (`ctx.instance.relationships`), the relationship sides, and their hosts.
 */
function instanceIds(invocation: OperationInvocation, model: DeploymentModel): string[] {
  const ids = new Set<string>([invocation.nodeInstanceId]);
  if (invocation.hostId !== null) ids.add(invocation.hostId);
  for (const r of invocation.instanceRelationships ?? []) ids.add(r.targetId);
  const rel = invocation.relationship;
  if (rel) {
    ids.add(rel.sourceNodeInstanceId);
    ids.add(rel.targetNodeInstanceId);
  }
  for (const id of [...ids]) {
    const host = model.nodeInstances.find((i) => i.id === id)?.hostId;
    if (host) ids.add(host);
  }
  return [...ids];
}

/** An OperationDispatcherPort for one workflow run that sends `host_agent` operations to agents. */
export function agentRunDispatcher(agents: AgentDispatcher, run: AgentRunContext): OperationDispatcherPort {
  const dispatcher = agents.withEvents(run.events);
  let resources: Pick<AgentOperationContext, 'resources' | 'omittedResources'> | null = null;
  return {
    async run(invocation, signal) {
      resources ??= readBlueprintResources(run.blueprintDir);
      const instances: NodeInstanceState[] = [];
      for (const id of instanceIds(invocation, run.model)) instances.push(await run.instances.get(id));
      const agentContext: AgentOperationContext = { nodes: run.model.nodes, instances, ...resources };
      const withContext: InvocationWithContext = { ...invocation, agentContext };
      const value = await dispatcher.run(withContext, signal);
      if (!isAgentOutcome(value)) return value;
      for (const change of value.changes) {
        try {
          await run.instances.updateRuntimeProperties(change.nodeInstanceId, change.runtimeProperties, change.expectedVersion);
        } catch (error) {
          if (isRekindleError(error) && error.code === 'conflict_error') {
            throw new RecoverableError(`Runtime properties of node instance ${change.nodeInstanceId} were changed by someone else while the operation ran on its agent; the operation will be retried`, { cause: error });
          }
          throw error;
        }
      }
      return value.value;
    },
  };
}
