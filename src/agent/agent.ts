/**
 * The agent process's core: one persistent MQTT session as `rekindle-agent-<name>`, subscribed
 * to its own task topic; runs each task id at most once through an OperationDispatcherPort (the
 * same plugin runtime the manager uses), streams logs and events, reports results, heartbeats,
 * and leaves a last will so the manager learns when it dies.
 */
import { randomUUID } from 'node:crypto';
import { toOperationFailure } from '../core/index.js';
import type { EventDocument } from '../core/index.js';
import type { EventSinkPort, OperationDispatcherPort, OperationInvocation } from '../engine/ports.js';
import { MqttLink, agentClientId, agentTopic, assertAgentName, decodeMessage, encodeMessage, managerMessageSchema, silentLogger } from '../messaging/index.js';
import type { BackoffOptions, Logger, ManagerMessage, ResultMessage, StatusMessage } from '../messaging/index.js';
import type { TaskLedgerPort } from './task-ledger.js';
import { AGENT_VERSION } from './version.js';

/** What an agent needs to build its operation runner. */
export interface ExecutorDependencies {
  agentName: string;
  workDir: string;
  /** Publishes the operation's logs and events to the manager. */
  events: EventSinkPort;
  logger: Logger;
}

/** Builds the agent's operation runner (the plugin runtime's in-process dispatcher). */
export type ExecutorFactory = (deps: ExecutorDependencies) => OperationDispatcherPort | Promise<OperationDispatcherPort>;

/** Options of {@link Agent}. */
export interface AgentOptions {
  name: string;
  /** `mqtt://<manager private ip>:<port>`. */
  brokerUrl: string;
  password: string;
  workDir: string;
  ledger: TaskLedgerPort;
  createExecutor: ExecutorFactory;
  /** Source address for the broker connection (the host's address). */
  localAddress?: string;
  hostId?: string | null;
  /** @default 10000 */
  heartbeatMs?: number;
  /** Tasks run at once; more wait in order. @default 8 */
  maxConcurrency?: number;
  /** How long `stop()` waits for running tasks. @default 10000 */
  stopTimeoutMs?: number;
  /** @default 10 */
  keepaliveSeconds?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
}

/** A running agent. */
export class Agent {
  readonly #options: AgentOptions;
  readonly #logger: Logger;
  readonly #bootId = randomUUID();
  readonly #link: MqttLink;
  readonly #queue: OperationInvocation[] = [];
  readonly #running = new Map<string, AbortController>();
  readonly #idleWaiters: Array<() => void> = [];
  #executor: OperationDispatcherPort | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #connection = 0;
  #stopping = false;

  constructor(options: AgentOptions) {
    assertAgentName(options.name);
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
    this.#link = new MqttLink({
      url: options.brokerUrl,
      clientId: agentClientId(options.name),
      credentials: { username: options.name, password: options.password },
      logger: this.#logger,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.keepaliveSeconds === undefined ? {} : { keepaliveSeconds: options.keepaliveSeconds }),
      will: (connection) => ({ topic: agentTopic(options.name, 'status'), payload: encodeMessage(this.#status('offline', connection, 'connection lost')), retain: true }),
      onConnected: async (connection) => {
        this.#connection = connection;
        await this.#link.subscribe([agentTopic(options.name, 'tasks')]);
        await this.#publishStatus();
      },
      onMessage: (topic, payload) => this.#onMessage(topic, payload),
    });
  }

  /** The agent's name. */
  get name(): string {
    return this.#options.name;
  }

  /** Ids of the tasks running now. */
  runningTasks(): string[] {
    return [...this.#running.keys()];
  }

  /** Builds the executor and starts connecting (forever, with backoff). Resolves once connected the first time. */
  async start(options: { waitConnected?: boolean } = {}): Promise<void> {
    const events: EventSinkPort = { emit: (document) => this.#publishDocument(document) };
    this.#executor = await this.#options.createExecutor({ agentName: this.#options.name, workDir: this.#options.workDir, events, logger: this.#logger });
    this.#link.start();
    this.#heartbeat = setInterval(() => {
      if (this.#link.ready) void this.#publishStatus();
    }, this.#options.heartbeatMs ?? 10_000);
    if (options.waitConnected !== false) await this.#link.whenReady();
  }

  /** Graceful stop: no new tasks, waits for running ones (bounded), publishes `offline`, disconnects. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#heartbeat);
    this.#queue.length = 0;
    if (this.#running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.stopTimeoutMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      for (const controller of this.#running.values()) controller.abort(new Error(`agent ${this.#options.name} is stopping`));
    }
    if (this.#link.ready) {
      // Wait for the broker's acknowledgement (a loaded host can take seconds): a clean disconnect
      // fires no last will, so this message is how the manager learns the agent stopped.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#link.publish(agentTopic(this.#options.name, 'status'), encodeMessage(this.#status('offline', this.#connection, 'stopped')), { retain: true }),
        new Promise((r) => (timer = setTimeout(r, 5000))),
      ]);
      clearTimeout(timer);
    }
    await this.#link.close();
  }

  #status(state: 'online' | 'offline', connection: number, reason?: string): StatusMessage {
    return {
      state,
      bootId: this.#bootId,
      connection,
      version: AGENT_VERSION,
      hostId: this.#options.hostId ?? null,
      sentAt: Date.now(),
      running: this.#running.size,
      ...(reason === undefined ? {} : { reason }),
    };
  }

  async #publishStatus(): Promise<void> {
    await this.#link.publish(agentTopic(this.#options.name, 'status'), encodeMessage(this.#status('online', this.#connection)), { retain: true }).catch((error: unknown) => {
      this.#logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'heartbeat not sent');
    });
  }

  #publishDocument(document: EventDocument): void {
    const kind = document.type === 'cloudify_log' ? 'logs' : 'events';
    const taskId = document.context.task_id ?? null;
    this.#link.publish(agentTopic(this.#options.name, kind), encodeMessage({ taskId, document })).catch(() => undefined);
  }

  #publishResult(result: ResultMessage): void {
    this.#link.publish(agentTopic(this.#options.name, 'results'), encodeMessage(result)).catch((error: unknown) => {
      this.#logger.warn({ taskId: result.taskId, err: error instanceof Error ? error.message : String(error) }, 'result not acknowledged yet; it is re-sent when the manager asks again');
    });
  }

  #onMessage(topic: string, payload: Buffer): void {
    const decoded = decodeMessage<ManagerMessage>(managerMessageSchema, payload);
    if (!decoded.ok) {
      this.#logger.warn({ topic, reason: decoded.reason }, 'dropped a malformed message');
      return;
    }
    const message = decoded.value;
    try {
      if (message.kind === 'cancel') this.#cancel(message.taskId, message.reason);
      else if (message.taskId !== message.invocation.taskId) this.#logger.warn({ taskId: message.taskId }, 'dropped a task whose id does not match its invocation');
      else this.#accept(message.invocation);
    } catch (error) {
      this.#logger.error({ taskId: message.taskId, err: error instanceof Error ? error.message : String(error) }, 'could not handle a task message');
    }
  }

  #accept(invocation: OperationInvocation): void {
    const taskId = invocation.taskId;
    if (this.#running.has(taskId) || this.#queue.some((q) => q.taskId === taskId)) return; // redelivery of a task in hand
    const record = this.#options.ledger.get(taskId);
    if (record?.state === 'done') {
      this.#logger.info({ taskId }, 'task already finished; re-sending its result');
      this.#publishResult(record.result);
      return;
    }
    if (record?.state === 'running') {
      this.#finish(taskId, {
        taskId,
        ok: false,
        failure: { kind: 'recoverable', message: `Agent ${this.#options.name} restarted while task ${taskId} was running; its outcome is unknown, so it was not run again` },
      });
      return;
    }
    if (this.#stopping) return;
    this.#queue.push(invocation);
    setImmediate(() => this.#pump()); // lets a cancel that arrived in the same burst win
  }

  #cancel(taskId: string, reason: string): void {
    const index = this.#queue.findIndex((q) => q.taskId === taskId);
    if (index >= 0) this.#queue.splice(index, 1);
    const controller = this.#running.get(taskId);
    if (controller !== undefined) {
      this.#logger.info({ taskId, reason }, 'aborting a cancelled task');
      controller.abort(new Error(`cancelled by the manager: ${reason}`));
      return;
    }
    if (this.#options.ledger.get(taskId) === null) {
      this.#options.ledger.put({ taskId, state: 'done', finishedAt: new Date().toISOString(), result: { taskId, ok: false, failure: { kind: 'recoverable', message: `Task ${taskId} was cancelled before it started: ${reason}` } } });
    }
  }

  #pump(): void {
    const limit = this.#options.maxConcurrency ?? 8;
    while (!this.#stopping && this.#running.size < limit && this.#queue.length > 0) {
      const invocation = this.#queue.shift()!;
      if (this.#options.ledger.get(invocation.taskId) !== null) continue; // cancelled or answered meanwhile
      void this.#run(invocation);
    }
  }

  async #run(invocation: OperationInvocation): Promise<void> {
    const taskId = invocation.taskId;
    const controller = new AbortController();
    this.#running.set(taskId, controller);
    this.#options.ledger.put({ taskId, state: 'running', startedAt: new Date().toISOString(), bootId: this.#bootId });
    let result: ResultMessage;
    try {
      const value = await this.#executor!.run(invocation, controller.signal);
      result = serialisable(value) ? { taskId, ok: true, value: value ?? null } : { taskId, ok: false, failure: { kind: 'non_recoverable', message: `Operation ${invocation.operation.name} returned a value that is not JSON-serialisable` } };
    } catch (error) {
      result = { taskId, ok: false, failure: toOperationFailure(error) };
    }
    this.#running.delete(taskId);
    this.#finish(taskId, result);
    if (this.#running.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
    this.#pump();
  }

  #finish(taskId: string, result: ResultMessage): void {
    this.#options.ledger.put({ taskId, state: 'done', finishedAt: new Date().toISOString(), result });
    this.#publishResult(result);
  }
}

function serialisable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
