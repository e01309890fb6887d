/**
 * One call that gives the manager its side of the agent channel: the embedded broker (or an
 * external broker's URL), the manager's MQTT session, the agent tracker and the dispatcher.
 */
import type { EventSinkPort } from '../engine/ports.js';
import { AgentDispatcher } from './agent-dispatcher.js';
import type { AgentRegistryPort } from './agent-registry.js';
import { AgentTracker } from './agent-tracker.js';
import type { BackoffOptions } from './backoff.js';
import { startEmbeddedBroker } from './embedded-broker.js';
import type { EmbeddedBroker } from './embedded-broker.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import { ManagerChannel } from './manager-channel.js';
import type { PendingTaskJournalPort } from './pending-journal.js';
import { MANAGER_CLIENT_ID } from './topics.js';

/** Options of {@link startManagerMessaging}. */
export interface ManagerMessagingOptions {
  /** Run an embedded aedes broker on this address (the manager's private IP), or use an external one by URL. */
  broker: { embedded: { host: string; port?: number } } | { url: string };
  registry: AgentRegistryPort;
  /** The manager's broker secret (user `rekindle-manager`). */
  managerSecret: string;
  agentForHost: (hostId: string) => string | Promise<string>;
  journal?: PendingTaskJournalPort;
  events?: EventSinkPort;
  /** @default 30000 */
  agentWaitMs?: number;
  backoff?: BackoffOptions;
  /** How long to wait for the broker at start before failing with `broker_unavailable`. @default 30000 */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** The manager's running messaging side. */
export interface ManagerMessaging {
  /** The broker URL agents must be configured with. */
  brokerUrl: string;
  /** Set when the broker is embedded. */
  broker: EmbeddedBroker | null;
  channel: ManagerChannel;
  tracker: AgentTracker;
  dispatcher: AgentDispatcher;
  /** Closes dispatcher, session and embedded broker, in that order. */
  close(): Promise<void>;
}

/**
 * Starts the manager's messaging: broker (if embedded), session, tracker, dispatcher; recovers
 * the journal's pending tasks (re-sent when their agents are online).
 */
export async function startManagerMessaging(options: ManagerMessagingOptions): Promise<ManagerMessaging> {
  const logger = options.logger ?? silentLogger();
  const credentials = { username: MANAGER_CLIENT_ID, password: options.managerSecret };
  const tracker = new AgentTracker({ registry: options.registry });
  const broker = 'embedded' in options.broker
    ? await startEmbeddedBroker({
        ...options.broker.embedded,
        registry: options.registry,
        manager: credentials,
        logger: logger.child({ component: 'broker' }),
        // The broker sees every disconnect, even a clean one that fires no last will.
        onAgentDisconnect: (name) => void tracker.disconnected(name),
      })
    : null;
  const brokerUrl = broker?.url ?? ('url' in options.broker ? options.broker.url : '');
  const channel = new ManagerChannel({ url: brokerUrl, credentials, logger: logger.child({ component: 'manager-channel' }), ...(options.backoff === undefined ? {} : { backoff: options.backoff }) });
  channel.addHandlers({ result: () => undefined, document: () => undefined, status: (agent, status) => tracker.apply(agent, status) });
  const dispatcher = new AgentDispatcher({
    channel,
    tracker,
    agentForHost: options.agentForHost,
    logger: logger.child({ component: 'agent-dispatcher' }),
    ...(options.journal === undefined ? {} : { journal: options.journal }),
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.agentWaitMs === undefined ? {} : { agentWaitMs: options.agentWaitMs }),
  });
  dispatcher.recover();
  try {
    await channel.start(options.connectTimeoutMs);
  } catch (error) {
    dispatcher.close();
    await channel.close();
    await broker?.close();
    throw error;
  }
  return {
    brokerUrl,
    broker,
    channel,
    tracker,
    dispatcher,
    async close() {
      dispatcher.close();
      await channel.close();
      await broker?.close();
    },
  };
}
