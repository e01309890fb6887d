/**
 * The manager deployment: the local state of the manager blueprint under
 * `.cloudify/bootstrap/manager/` (deployment name `manager`), run with the same engine ports as
 * `cfy local`, and the workflow runner bootstrap, recover and teardown share.
 */
import { join } from 'node:path';
import { UserError, type EventDocument } from '../../core/index.js';
import { formatEventLine } from '../../engine/index.js';
import { evaluateOutputs } from '../../plan/index.js';
import { PluginRegistry, registerBuiltinPlugins, localScaleServices, type LocalStateStore, type StoredNodeInstance } from '../../plugins/index.js';
import { runWorkflow } from '../../workflows/index.js';
import { localEnginePorts } from '../local/local-env.js';
import type { Output } from '../output.js';

/** Deployment (and blueprint) id of the manager deployment's events. */
export const managerDeploymentName = 'manager';

/** Node type that marks the manager node (3.3: `cloudify.nodes.MyCloudifyManager`, derived from this). */
export const managerNodeType = 'cloudify.nodes.CloudifyManager';

/** `.cloudify/bootstrap` of a `.cloudify` folder. */
export function bootstrapDirOf(cloudifyDir: string): string {
  return join(cloudifyDir, 'bootstrap');
}

/** `.cloudify/bootstrap/manager`. */
export function managerStateRoot(cloudifyDir: string): string {
  return join(bootstrapDirOf(cloudifyDir), managerDeploymentName);
}

/** Retry settings of the local workflows (`--task-retries` ...). */
export interface TaskSettings {
  taskRetries: number;
  taskRetryInterval: number;
  threadPoolSize: number;
}

/** Runs a workflow of the manager deployment, printing events in the CLI line format. Resolves with the error or null. */
export async function runManagerWorkflow(
  store: LocalStateStore,
  workflow: string,
  parameters: Record<string, unknown>,
  settings: TaskSettings,
  output: Output,
  showDebug = false,
): Promise<Error | null> {
  const print = (event: EventDocument): void => {
    if (event.type === 'cloudify_log' && event.level === 'debug' && !showDebug) return;
    output.info(formatEventLine(event));
  };
  const release = store.lock();
  try {
    for (const stale of await store.failInterruptedExecutions()) {
      output.warn(`Execution ${stale.id} of '${stale.workflowId}' was interrupted earlier; marked failed`);
    }
    const result = await runWorkflow({
      model: store.model(),
      workflow,
      parameters,
      deploymentId: managerDeploymentName,
      blueprintId: store.data().blueprintId,
      ports: localEnginePorts(store, print, registerBuiltinPlugins(new PluginRegistry())),
      options: { ...settings, ...localScaleServices(store) },
    });
    return result.error;
  } finally {
    release();
  }
}

/** The manager node's instance (the one whose type hierarchy holds {@link managerNodeType}). */
export function managerInstance(store: LocalStateStore): StoredNodeInstance {
  const nodes = new Map(store.model().nodes.map((n) => [n.id, n]));
  const found = store.listInstances().find((i) => nodes.get(i.nodeId)?.typeHierarchy.includes(managerNodeType));
  if (!found) {
    throw new UserError('manager_node_missing', `The manager blueprint has no node of type ${managerNodeType} (or derived from it)`, {
      hints: ['Use resources/manager-blueprints/local-manager-blueprint.yaml or a blueprint with a manager_configuration node'],
    });
  }
  return found;
}

/** The manager deployment's outputs, evaluated against its runtime properties. */
export function managerOutputs(store: LocalStateStore): Record<string, unknown> {
  const runtime = new Map(store.listInstances().map((i) => [i.id, i.runtimeProperties]));
  return evaluateOutputs(store.model(), (id) => runtime.get(id));
}
