/**
 * The manager's side of the channel: one persistent MQTT session (client id `rekindle-manager`)
 * subscribed to every agent's results, logs, events and status. Decodes and validates each
 * message; malformed ones are dropped with a log line.
 */
import type { AgentCredentials } from './credentials.js';
import { brokerUnavailable } from './errors.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import { MqttLink } from './mqtt-link.js';
import type { BackoffOptions } from './backoff.js';
import { decodeMessage, documentMessageSchema, encodeMessage, resultMessageSchema, statusMessageSchema } from './protocol.js';
import type { DocumentMessage, ManagerMessage, ResultMessage, StatusMessage } from './protocol.js';
import { MANAGER_CLIENT_ID, agentTopic, allAgentsTopic, parseAgentTopic } from './topics.js';

/** What the manager channel delivers. */
export interface ManagerChannelHandlers {
  result(agent: string, message: ResultMessage): void;
  status(agent: string, message: StatusMessage): void;
  document(agent: string, message: DocumentMessage): void;
}

/** What the dispatcher needs from the manager's session (a fake in unit tests). */
export interface AgentChannelPort {
  addHandlers(handlers: ManagerChannelHandlers): () => void;
  send(agent: string, message: ManagerMessage): Promise<void>;
}

/** Options of {@link ManagerChannel}. */
export interface ManagerChannelOptions {
  /** Broker URL (`mqtt://<private ip>:<port>`). */
  url: string;
  /** User name `rekindle-manager` and the manager's broker secret. */
  credentials: AgentCredentials;
  backoff?: BackoffOptions;
  logger?: Logger;
}

/** The manager's MQTT session. */
export class ManagerChannel implements AgentChannelPort {
  readonly #link: MqttLink;
  readonly #logger: Logger;
  readonly #handlers = new Set<ManagerChannelHandlers>();
  readonly #url: string;

  constructor(options: ManagerChannelOptions) {
    this.#logger = options.logger ?? silentLogger();
    this.#url = options.url;
    this.#link = new MqttLink({
      url: options.url,
      clientId: MANAGER_CLIENT_ID,
      credentials: options.credentials,
      logger: this.#logger,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      onConnected: () => this.#link.subscribe((['results', 'logs', 'events', 'status'] as const).map((kind) => allAgentsTopic(kind))),
      onMessage: (topic, payload) => this.#route(topic, payload),
    });
  }

  /** Adds a receiver of agent messages; returns the removal function. */
  addHandlers(handlers: ManagerChannelHandlers): () => void {
    this.#handlers.add(handlers);
    return () => this.#handlers.delete(handlers);
  }

  /**
   * Connects and resolves once subscribed. Fails with `broker_unavailable` after `timeoutMs`
   * (the link keeps retrying in the background until {@link close}).
   */
  async start(timeoutMs = 30_000): Promise<void> {
    this.#link.start();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#link.whenReady(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(brokerUnavailable(this.#url, new Error(`not connected within ${timeoutMs} ms`))), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True while connected and subscribed. */
  get ready(): boolean {
    return this.#link.ready;
  }

  /** Sends a task or cancel message to one agent (QoS 1; queued while disconnected). */
  send(agent: string, message: ManagerMessage): Promise<void> {
    return this.#link.publish(agentTopic(agent, 'tasks'), encodeMessage(message));
  }

  /** Disconnects. */
  close(): Promise<void> {
    return this.#link.close();
  }

  #route(topic: string, payload: Buffer): void {
    const parsed = parseAgentTopic(topic);
    if (parsed === null || parsed.kind === 'tasks') {
      this.#logger.warn({ topic }, 'dropped a message on an unexpected topic');
      return;
    }
    const { name, kind } = parsed;
    try {
      if (kind === 'results') {
        const decoded = decodeMessage<ResultMessage>(resultMessageSchema, payload);
        if (!decoded.ok) return this.#drop(topic, decoded.reason);
        for (const h of this.#handlers) h.result(name, decoded.value);
      } else if (kind === 'status') {
        if (payload.length === 0) return; // a cleared retained status
        const decoded = decodeMessage<StatusMessage>(statusMessageSchema, payload);
        if (!decoded.ok) return this.#drop(topic, decoded.reason);
        for (const h of this.#handlers) h.status(name, decoded.value);
      } else {
        const decoded = decodeMessage<DocumentMessage>(documentMessageSchema, payload);
        if (!decoded.ok) return this.#drop(topic, decoded.reason);
        for (const h of this.#handlers) h.document(name, decoded.value);
      }
    } catch (error) {
      this.#logger.error({ topic, err: error instanceof Error ? error.message : String(error) }, 'handler failed on an agent message');
    }
  }

  #drop(topic: string, reason: string): void {
    this.#logger.warn({ topic, reason }, 'dropped a malformed message');
  }
}
