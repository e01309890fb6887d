/**
 * The MQTT topic layout of the manager <-> agent channel (docs/decisions/messaging-topics.md).
 *
 *   rekindle/agents/<name>/tasks    manager -> agent   task and cancel messages (QoS 1)
 *   rekindle/agents/<name>/results  agent -> manager   one result per task id (QoS 1)
 *   rekindle/agents/<name>/logs     agent -> manager   cloudify_log documents (QoS 1)
 *   rekindle/agents/<name>/events   agent -> manager   cloudify_event documents (QoS 1)
 *   rekindle/agents/<name>/status   agent -> manager   heartbeats + last will (QoS 1, retained)
 */
import { UserError } from '../core/index.js';

/** Root of every Rekindle topic. */
export const TOPIC_ROOT = 'rekindle/agents';

/** The kinds of per-agent topics. */
export type AgentTopicKind = 'tasks' | 'results' | 'logs' | 'events' | 'status';

/** The topics an agent publishes to (its own only). */
export const AGENT_PUBLISH_KINDS: readonly AgentTopicKind[] = ['results', 'logs', 'events', 'status'];

/** The manager's MQTT client id and default user name. Reserved: no agent may use it. */
export const MANAGER_CLIENT_ID = 'rekindle-manager';

const AGENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** True when `name` is usable as an agent name (and so as a topic level and a user name). */
export function isValidAgentName(name: string): boolean {
  return AGENT_NAME.test(name) && name !== MANAGER_CLIENT_ID;
}

/** Throws `invalid_agent_name` unless `name` is a valid agent name. */
export function assertAgentName(name: string): void {
  if (!isValidAgentName(name)) {
    throw new UserError('invalid_agent_name', `Agent name "${name}" is not valid: use 1-128 letters, digits, "_", "." or "-" (not starting with "." or "-"), and not "${MANAGER_CLIENT_ID}"`, {
      details: { name },
      hints: ['Agent names default to the host node instance id, e.g. vm_1a2b3'],
    });
  }
}

/** `rekindle/agents/<name>/<kind>`. */
export function agentTopic(name: string, kind: AgentTopicKind): string {
  return `${TOPIC_ROOT}/${name}/${kind}`;
}

/** The wildcard the manager subscribes to for one kind of agent topic. */
export function allAgentsTopic(kind: AgentTopicKind): string {
  return `${TOPIC_ROOT}/+/${kind}`;
}

/** The MQTT client id an agent must connect with (stable, so its persistent session survives). */
export function agentClientId(name: string): string {
  return `rekindle-agent-${name}`;
}

/** Splits an agent topic into name and kind; null when it is not one. */
export function parseAgentTopic(topic: string): { name: string; kind: AgentTopicKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const name = parts[2]!;
  const kind = parts[3]!;
  if (!isValidAgentName(name)) return null;
  if (kind !== 'tasks' && kind !== 'results' && kind !== 'logs' && kind !== 'events' && kind !== 'status') return null;
  return { name, kind };
}
