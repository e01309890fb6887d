/** Record builders for the storage tests. */
import type { EventDocument } from '../../src/core/index.js';
import type {
  BlueprintRecord,
  DeploymentRecord,
  ExecutionRecord,
  NodeInstanceRecord,
  NodeRecord,
  StoragePort,
} from '../../src/storage/index.js';
import type { NodeModel } from '../../src/plan/model.js';

export const t0 = Date.parse('2026-01-01T00:00:00.000Z');
export const iso = (offsetMs: number): string => new Date(t0 + offsetMs).toISOString();

export function blueprint(id: string, n = 0): BlueprintRecord {
  return {
    id,
    mainFileName: 'blueprint.yaml',
    description: n % 2 === 0 ? `Blueprint ${id}` : null,
    plan: { tosca_definitions_version: 'cloudify_dsl_1_2', nested: { list: [1, 'two', { three: true }], unicode: 'ünï ✓', nul: 'a\u0000b' } },
    createdAt: iso(n * 1000),
    updatedAt: iso(n * 1000 + 500),
  };
}

export function deployment(id: string, blueprintId: string, n = 0): DeploymentRecord {
  return {
    id,
    blueprintId,
    description: null,
    inputs: { image: 'ubuntu', flavor: n },
    outputs: { endpoint: { value: { get_attribute: ['vm', 'ip'] } } },
    workflows: { install: { operation: 'default_workflows.cloudify.plugins.workflows.install' } },
    groups: {},
    policies: {},
    scalingGroups: {},
    createdAt: iso(n * 1000),
    updatedAt: iso(n * 1000),
  };
}

export function nodeModel(id: string): NodeModel {
  return {
    id,
    type: 'cloudify.nodes.Compute',
    typeHierarchy: ['cloudify.nodes.Root', 'cloudify.nodes.Compute'],
    properties: { ip: '127.0.0.1' },
    operations: {},
    relationships: [],
    hostId: id,
    plugins: [],
    deployInstances: 1,
  };
}

export function node(deploymentId: string, id: string): NodeRecord {
  return {
    deploymentId,
    id,
    blueprintId: 'bp',
    type: 'cloudify.nodes.Compute',
    hostId: id,
    numberOfInstances: 1,
    plannedNumberOfInstances: 1,
    model: nodeModel(id),
  };
}

export function nodeInstance(id: string, deploymentId: string, nodeId: string): NodeInstanceRecord {
  return {
    id,
    deploymentId,
    nodeId,
    hostId: id,
    state: 'uninitialized',
    runtimeProperties: {},
    version: 1,
    relationships: [{ type: 'cloudify.relationships.contained_in', targetId: 'host_1', targetName: 'host' }],
  };
}

export function execution(id: string, deploymentId: string | null, n = 0): ExecutionRecord {
  return {
    id,
    deploymentId,
    blueprintId: deploymentId ? 'bp' : null,
    workflowId: n % 2 === 0 ? 'install' : 'uninstall',
    status: n % 3 === 0 ? 'terminated' : 'failed',
    error: n % 3 === 0 ? null : 'Traceback...',
    parameters: { n },
    isSystemWorkflow: deploymentId === null,
    createdAt: iso(n * 1000),
    startedAt: iso(n * 1000 + 10),
    endedAt: null,
  };
}

/** An event (even i) or a log (odd i) of an execution. */
export function eventDoc(i: number, executionId: string, deploymentId: string): EventDocument {
  const context = { execution_id: executionId, deployment_id: deploymentId, blueprint_id: 'bp', workflow_id: 'install', node_id: `vm_${i % 3}`, node_name: 'vm' };
  const timestamp = iso(i * 1000);
  if (i % 2 === 0) {
    return { type: 'cloudify_event', event_type: i % 4 === 0 ? 'task_started' : 'task_succeeded', timestamp, '@timestamp': timestamp, message_code: null, message: { text: `event ${i}`, arguments: null }, context };
  }
  return { type: 'cloudify_log', logger: 'ctx', level: i % 3 === 0 ? 'error' : 'info', timestamp, '@timestamp': timestamp, message: { text: `log ${i} 100%_done` }, context };
}

/** A blueprint, a deployment with one node and instance, an execution with a task. */
export async function seedDeployment(storage: StoragePort, deploymentId = 'dep', blueprintId = 'bp'): Promise<void> {
  if (!(await storage.blueprints.find(blueprintId))) await storage.blueprints.create(blueprint(blueprintId));
  await storage.deployments.create(deployment(deploymentId, blueprintId));
  await storage.nodes.create(node(deploymentId, 'vm'));
  await storage.nodeInstances.create(nodeInstance(`vm_${deploymentId}`, deploymentId, 'vm'));
  await storage.executions.create(execution(`ex_${deploymentId}`, deploymentId));
  await storage.tasks.create({
    id: `task_${deploymentId}`,
    executionId: `ex_${deploymentId}`,
    name: 'cloudify.interfaces.lifecycle.create',
    state: 'pending',
    attempt: 0,
    nextAttemptAt: null,
    invocation: { operation: 'x' },
    result: null,
    error: null,
    createdAt: iso(0),
    updatedAt: iso(0),
  });
}
