/**
 * One MQTT client connection that never gives up: persistent session (`clean: false`, stable
 * client id), reconnects with capped exponential backoff, optional local bind address, a last
 * will recomputed for every connection. Used by both the manager channel and the agent.
 */
import { connect as netConnect } from 'node:net';
import { MqttClient } from 'mqtt';
import type { IClientOptions } from 'mqtt';
import { Backoff } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import type { AgentCredentials } from './credentials.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';

/** A last-will message. */
export interface WillMessage {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Options of {@link MqttLink}. */
export interface MqttLinkOptions {
  /** `mqtt://host:port`. */
  url: string;
  clientId: string;
  credentials: AgentCredentials;
  /** Source address of the TCP connection (an agent binds its host's address). */
  localAddress?: string;
  /** @default 10 */
  keepaliveSeconds?: number;
  backoff?: BackoffOptions;
  /** The will for connection number `connection` (1, 2, ...). */
  will?: (connection: number) => WillMessage;
  /** Called after every successful CONNACK, before the link counts as ready. */
  onConnected?: (connection: number, sessionPresent: boolean) => Promise<void>;
  onMessage: (topic: string, payload: Buffer) => void;
  /** Called when an established connection is lost. */
  onDisconnected?: () => void;
  logger?: Logger;
}

/** A self-healing MQTT connection. */
export class MqttLink {
  readonly #options: MqttLinkOptions;
  readonly #logger: Logger;
  readonly #backoff: Backoff;
  readonly #client: MqttClient;
  #connection = 0;
  #ready = false;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  #readyWaiters: Array<() => void> = [];

  constructor(options: MqttLinkOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
    this.#backoff = new Backoff(options.backoff);
    const url = new URL(options.url);
    const host = url.hostname;
    const port = Number(url.port || 1883);
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      username: options.credentials.username,
      password: options.credentials.password,
      clean: false,
      keepalive: options.keepaliveSeconds ?? 10,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      manualConnect: true,
      resubscribe: false,
      protocolVersion: 4,
    };
    // noDelay: small request/response messages must not wait for Nagle + delayed ACK (~40 ms each)
    this.#client = new MqttClient(() => netConnect({ host, port, noDelay: true, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) }), clientOptions);
    this.#client.on('connect', (connack) => this.#onConnect(connack.sessionPresent));
    this.#client.on('message', (topic, payload) => options.onMessage(topic, payload));
    this.#client.on('close', () => this.#onClose());
    this.#client.on('error', (error) => {
      this.#logger.warn({ url: options.url, clientId: options.clientId, err: error.message }, 'mqtt connection error');
    });
  }

  /** True while connected and set up. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Starts connecting (in the background; see {@link whenReady}). */
  start(): void {
    this.#attempt();
  }

  /** Resolves once the link is connected and set up. */
  whenReady(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Publishes with QoS 1; resolves when the broker acknowledged (queued while disconnected). */
  publish(topic: string, payload: string, options: { retain?: boolean } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.publish(topic, payload, { qos: 1, retain: options.retain ?? false }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Subscribes with QoS 1; rejects when the broker refuses a topic. */
  subscribe(topics: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#client.subscribe(topics, { qos: 1 }, (error, granted) => {
        if (error) return reject(error);
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0) return reject(new Error(`broker refused subscription to ${refused.join(', ')}`));
        resolve();
      });
    });
  }

  /**
   * Disconnects cleanly (the will is not sent), waiting up to 2 s for unacknowledged messages;
   * `force`, or no connection, drops the socket at once. Never hangs on a dead broker.
   */
  async close(options: { force?: boolean } = {}): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#ready = false;
    const force = options.force === true || !this.#client.connected;
    let timer: NodeJS.Timeout | undefined;
    const graceful = new Promise<boolean>((resolve) => this.#client.end(force, {}, () => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)));
    const ended = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (!ended) await new Promise<void>((resolve) => this.#client.end(true, {}, () => resolve()));
  }

  #attempt(): void {
    if (this.#closing) return;
    this.#connection += 1;
    const will = this.#options.will?.(this.#connection);
    if (will !== undefined) this.#client.options.will = { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: will.retain };
    if (this.#connection === 1) this.#client.connect();
    else this.#client.reconnect({ incomingStore: this.#client.incomingStore, outgoingStore: this.#client.outgoingStore });
  }

  #onConnect(sessionPresent: boolean): void {
    const connection = this.#connection;
    this.#logger.info({ url: this.#options.url, clientId: this.#options.clientId, connection, sessionPresent }, 'mqtt connected');
    const setup = this.#options.onConnected?.(connection, sessionPresent) ?? Promise.resolve();
    setup.then(
      () => {
        if (connection !== this.#connection || !this.#client.connected) return;
        this.#backoff.reset();
        this.#ready = true;
        const waiters = this.#readyWaiters;
        this.#readyWaiters = [];
        for (const resolve of waiters) resolve();
      },
      (error: unknown) => {
        this.#logger.error({ clientId: this.#options.clientId, err: error instanceof Error ? error.message : String(error) }, 'mqtt connection setup failed; reconnecting');
        this.#client.stream.destroy();
      },
    );
  }

  #onClose(): void {
    const wasReady = this.#ready;
    this.#ready = false;
    if (wasReady) this.#options.onDisconnected?.();
    if (this.#closing) return;
    clearTimeout(this.#timer);
    const delay = this.#backoff.nextDelay();
    this.#logger.debug({ clientId: this.#options.clientId, delay }, 'mqtt reconnect scheduled');
    this.#timer = setTimeout(() => this.#attempt(), delay);
  }
}
