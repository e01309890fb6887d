/**
 * Manager <-> agent channel over MQTT: topics, messages, credentials, the embedded broker, the
 * manager's session, the agent tracker and the `host_agent` operation dispatcher.
 */
export * from './topics.js';
export * from './protocol.js';
export * from './errors.js';
export * from './credentials.js';
export * from './agent-registry.js';
export * from './broker-auth.js';
export * from './backoff.js';
export * from './logger.js';
export * from './mqtt-link.js';
export * from './embedded-broker.js';
export * from './manager-channel.js';
export * from './agent-tracker.js';
export * from './agent-list.js';
export * from './pending-journal.js';
export * from './agent-dispatcher.js';
export * from './manager-messaging.js';
export * from './mosquitto-config.js';
export * from './operation-context.js';
