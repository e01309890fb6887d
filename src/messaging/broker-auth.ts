/**
 * Who may publish and subscribe where. One set of rules, used by the embedded broker and
 * mirrored by the mosquitto ACL file (mosquitto-config.ts).
 */
import { AGENT_PUBLISH_KINDS, TOPIC_ROOT, agentTopic, parseAgentTopic } from './topics.js';

/** An authenticated broker client. */
export type BrokerIdentity = { role: 'manager' } | { role: 'agent'; name: string };

/** The manager may publish anywhere under the root; an agent only to its own reply topics. */
export function canPublish(identity: BrokerIdentity, topic: string): boolean {
  if (identity.role === 'manager') return topic.startsWith(`${TOPIC_ROOT}/`);
  const parsed = parseAgentTopic(topic);
  return parsed !== null && parsed.name === identity.name && AGENT_PUBLISH_KINDS.includes(parsed.kind);
}

/** The manager may subscribe to anything under the root; an agent only to its own task topic. */
export function canSubscribe(identity: BrokerIdentity, topic: string): boolean {
  if (identity.role === 'manager') return topic === `${TOPIC_ROOT}/#` || topic.startsWith(`${TOPIC_ROOT}/`);
  return topic === agentTopic(identity.name, 'tasks');
}
