/**
 * What the manager knows of each agent's liveness, from status messages (heartbeats and last
 * wills). Feeds `GET /api/v2/agents` and the dispatcher (tasks in flight on an agent that went
 * offline fail; pending tasks are re-sent to an agent that (re)connects).
 */
import type { AgentRegistryPort } from './agent-registry.js';
import type { StatusMessage } from './protocol.js';

/** `online` after a status message from a live connection; `offline` after its last will or a clean stop. */
export type AgentConnectionState = 'online' | 'offline';

/** One agent as seen by the manager. */
export interface AgentStatusView {
  name: string;
  state: AgentConnectionState;
  /** ISO time the manager last heard from the agent. */
  lastSeen: string;
  version: string;
  hostId: string | null;
  /** Random id of the agent process. */
  bootId: string;
  /** Tasks running on the agent, as it last reported. */
  running: number;
  /** Why it went offline, when it did. */
  reason: string | null;
}

/** A state change. `online` also fires when the agent reconnected (a new connection or process). */
export type AgentTransition = { type: 'agent:online'; agent: AgentStatusView } | { type: 'agent:offline'; agent: AgentStatusView };

/** Options of {@link AgentTracker}. */
export interface AgentTrackerOptions {
  /** Receives last-seen updates (errors are ignored by the tracker; the caller's adapter logs them). */
  registry?: AgentRegistryPort;
  /** Heartbeats write last-seen to the registry at most this often per agent (transitions always do). @default 60000 */
  touchIntervalMs?: number;
  now?: () => Date;
}

interface Entry {
  view: AgentStatusView;
  connection: number;
  /** ms time of the last registry touch. */
  touchedAt: number;
}

/** Tracks agent liveness from status messages. */
export class AgentTracker {
  readonly #agents = new Map<string, Entry>();
  readonly #listeners = new Set<(transition: AgentTransition) => void>();
  readonly #options: AgentTrackerOptions;

  constructor(options: AgentTrackerOptions = {}) {
    this.#options = options;
  }

  /** Subscribes to transitions; returns the unsubscribe function. */
  onTransition(listener: (transition: AgentTransition) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The agent's current view, or undefined if never heard from. */
  get(name: string): AgentStatusView | undefined {
    const entry = this.#agents.get(name);
    return entry === undefined ? undefined : { ...entry.view };
  }

  /** Every known agent, by name. */
  list(): AgentStatusView[] {
    return [...this.#agents.values()].map((e) => ({ ...e.view })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The broker saw the agent's current connection close: it is offline until it says otherwise. */
  disconnected(name: string): AgentTransition | null {
    const previous = this.#agents.get(name);
    if (previous === undefined || previous.view.state === 'offline') return null;
    const view: AgentStatusView = { ...previous.view, state: 'offline', reason: 'connection closed', lastSeen: (this.#options.now ?? (() => new Date()))().toISOString() };
    this.#agents.set(name, { ...previous, view });
    const transition: AgentTransition = { type: 'agent:offline', agent: { ...view } };
    for (const listener of this.#listeners) listener(transition);
    return transition;
  }

  /** Applies a status message published on `name`'s status topic. Returns the transition, if any. */
  apply(name: string, status: StatusMessage): AgentTransition | null {
    const now = (this.#options.now ?? (() => new Date()))().toISOString();
    const previous = this.#agents.get(name);
    // A last will of a connection that was already replaced is stale; an agent's own `stopped`
    // message is current whatever connection carried it (it may have reconnected meanwhile).
    const replaced = previous !== undefined && (previous.view.bootId !== status.bootId || (status.reason !== 'stopped' && previous.connection !== status.connection));
    if (status.state === 'offline' && replaced) {
      return null;
    }
    const view: AgentStatusView = {
      name,
      state: status.state,
      lastSeen: now,
      version: status.version,
      hostId: status.hostId,
      bootId: status.bootId,
      running: status.running ?? previous?.view.running ?? 0,
      reason: status.state === 'offline' ? (status.reason ?? 'connection lost') : null,
    };
    const changed = previous === undefined || previous.view.state !== status.state || previous.view.bootId !== status.bootId || previous.connection !== status.connection;
    if (status.state === 'offline' && previous === undefined) {
      this.#agents.set(name, { view, connection: status.connection, touchedAt: 0 });
      return null; // a retained will of an agent never seen online: nothing was in flight
    }
    const nowMs = Date.parse(now);
    const touch = changed || previous === undefined || nowMs - previous.touchedAt >= (this.#options.touchIntervalMs ?? 60_000);
    this.#agents.set(name, { view, connection: status.connection, touchedAt: touch ? nowMs : (previous?.touchedAt ?? 0) });
    if (touch) void this.#options.registry?.touch(name, { at: now, version: status.version }).catch(() => undefined);
    if (!changed) return null;
    const transition: AgentTransition = status.state === 'online' ? { type: 'agent:online', agent: { ...view } } : { type: 'agent:offline', agent: { ...view } };
    for (const listener of this.#listeners) listener(transition);
    return transition;
  }
}
