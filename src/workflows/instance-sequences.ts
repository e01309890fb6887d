/**
 * Per-instance install and uninstall sequences of Cloudify 3.3's `lifecycle.py` (spec §4.3).
 * Relationship operations of one step run as one fork-join (3.3 behaviour; see
 * docs/decisions/engine-relationship-op-order.md). Adjacent state changes and node events
 * (Cloudify's `set_state` / `send_event` tasks and their small fork-joins) run as one local
 * task, in the order listed.
 */
import type { Step } from '../engine/index.js';
import type { NodeInstanceModel } from '../plan/model.js';
import type { LocalStep, TaskBuilder } from './task-builder.js';

const lifecycle = 'cloudify.interfaces.lifecycle.';
const relationshipLifecycle = 'cloudify.interfaces.relationship_lifecycle.';

// Shared, immutable local steps (no allocation per instance).
const E_CONFIGURING_AGENT: LocalStep = { event: 'Configuring Agent' };
const E_CONFIGURING_NODE: LocalStep = { event: 'Configuring node' };
const E_CREATING_AGENT: LocalStep = { event: 'Creating Agent' };
const E_CREATING_NODE: LocalStep = { event: 'Creating node' };
const E_DELETING_AGENT: LocalStep = { event: 'Deleting agent' };
const E_DELETING_NODE: LocalStep = { event: 'Deleting node' };
const E_RESTARTING_AGENT_VIA_AMQP: LocalStep = { event: 'Restarting Agent via AMQP' };
const E_STARTING_AGENT: LocalStep = { event: 'Starting Agent' };
const E_STARTING_NODE: LocalStep = { event: 'Starting node' };
const E_STOPPING_AGENT: LocalStep = { event: 'Stopping agent' };
const E_STOPPING_NODE: LocalStep = { event: 'Stopping node' };
const S_CONFIGURED: LocalStep = { state: 'configured' };
const S_CONFIGURING: LocalStep = { state: 'configuring' };
const S_CREATED: LocalStep = { state: 'created' };
const S_CREATING: LocalStep = { state: 'creating' };
const S_DELETED: LocalStep = { state: 'deleted' };
const S_DELETING: LocalStep = { state: 'deleting' };
const S_INITIALIZING: LocalStep = { state: 'initializing' };
const S_STARTED: LocalStep = { state: 'started' };
const S_STARTING: LocalStep = { state: 'starting' };
const S_STOPPED: LocalStep = { state: 'stopped' };
const S_STOPPING: LocalStep = { state: 'stopping' };

/** Install of one instance: create, preconfigure, configure, postconfigure, start, (host steps), establish. */
export function installInstance(b: TaskBuilder, instance: NodeInstanceModel): Step {
  const node = b.index.node(instance.nodeId);
  return b.chain(instance, [
    S_INITIALIZING,
    E_CREATING_NODE,
    S_CREATING,
    b.operation(instance, `${lifecycle}create`),
    S_CREATED,
    relationshipStep(b, instance, 'preconfigure'),
    S_CONFIGURING,
    E_CONFIGURING_NODE,
    b.operation(instance, `${lifecycle}configure`),
    S_CONFIGURED,
    relationshipStep(b, instance, 'postconfigure'),
    S_STARTING,
    E_STARTING_NODE,
    b.operation(instance, `${lifecycle}start`),
    b.index.isHost(node) ? hostPostStart(b, instance) : null,
    b.forkJoin(b.operation(instance, 'cloudify.interfaces.monitoring.start'), ...b.relationshipOperations(instance, `${relationshipLifecycle}establish`)),
    S_STARTED,
  ]);
}

/** Uninstall of one instance: stop, (host steps), unlink, delete. Failures are marked ignored by the caller. */
export function uninstallInstance(b: TaskBuilder, instance: NodeInstanceModel): Step {
  const node = b.index.node(instance.nodeId);
  return b.chain(instance, [
    S_STOPPING,
    E_STOPPING_NODE,
    b.operation(instance, 'cloudify.interfaces.monitoring.stop'),
    b.index.isHost(node) ? hostPreStop(b, instance) : null,
    b.operation(instance, `${lifecycle}stop`),
    S_STOPPED,
    relationshipStep(b, instance, 'unlink'),
    S_DELETING,
    E_DELETING_NODE,
    b.operation(instance, `${lifecycle}delete`),
    S_DELETED,
  ]);
}

function relationshipStep(b: TaskBuilder, instance: NodeInstanceModel, op: string): Step | null {
  const tasks = b.relationshipOperations(instance, `${relationshipLifecycle}${op}`);
  return tasks.length === 0 ? null : b.forkJoin(...tasks);
}

/** Host steps after start: wait for the host, agent install (unless `none`), monitoring agent. */
function hostPostStart(b: TaskBuilder, host: NodeInstanceModel): Step {
  const node = b.index.node(host.nodeId);
  const steps: (Step | LocalStep | null)[] = [b.operation(host, 'cloudify.interfaces.host.get_state', { retryUntilTrue: true })];
  if (b.index.installMethod(node) !== 'none') {
    steps.push(
      E_CREATING_AGENT,
      b.operation(host, 'cloudify.interfaces.cloudify_agent.create'),
      E_CONFIGURING_AGENT,
      b.operation(host, 'cloudify.interfaces.cloudify_agent.configure'),
      E_STARTING_AGENT,
      b.operation(host, 'cloudify.interfaces.cloudify_agent.start'),
    );
    const plugins = b.index.pluginsToInstall(node.id);
    if (plugins.length > 0) {
      steps.push(
        { event: `Installing plugins: [${plugins.map((p) => `'${p.name}'`).join(', ')}]` },
        b.operation(host, 'cloudify.interfaces.plugin_installer.install', { kwargs: { plugins } }),
        E_RESTARTING_AGENT_VIA_AMQP,
        b.operation(host, 'cloudify.interfaces.cloudify_agent.restart_amqp', { sendTaskEvents: false }),
      );
    }
  }
  steps.push(b.operation(host, 'cloudify.interfaces.monitoring_agent.install'), b.operation(host, 'cloudify.interfaces.monitoring_agent.start'));
  return b.chain(host, steps);
}

/** Host steps before stop: monitoring agent, then agent stop/delete (unless `none`). */
function hostPreStop(b: TaskBuilder, host: NodeInstanceModel): Step {
  const node = b.index.node(host.nodeId);
  const steps: (Step | LocalStep | null)[] = [
    b.operation(host, 'cloudify.interfaces.monitoring_agent.stop'),
    b.operation(host, 'cloudify.interfaces.monitoring_agent.uninstall'),
  ];
  if (b.index.installMethod(node) !== 'none') {
    steps.push(
      E_STOPPING_AGENT,
      b.operation(host, 'cloudify.interfaces.cloudify_agent.stop'),
      E_DELETING_AGENT,
      b.operation(host, 'cloudify.interfaces.cloudify_agent.delete'),
    );
  }
  return b.chain(host, steps);
}
