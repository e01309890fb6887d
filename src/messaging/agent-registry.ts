/**
 * Where the manager keeps its agents: credential hashes (never the secrets), host and liveness.
 * The SQL storage adapts this port; {@link InMemoryAgentRegistry} serves tests and the bench.
 */
import { UserError } from '../core/index.js';
import { generateSecret, hashSecret, mosquittoHash } from './credentials.js';
import type { AgentCredentials, ScryptOptions } from './credentials.js';
import { assertAgentName } from './topics.js';

/** One agent as the manager stores it. */
export interface AgentRecord {
  name: string;
  /** The host node instance the agent runs on. */
  hostId: string | null;
  /** `scrypt$...` hash of the agent's secret (see credentials.ts). */
  credentialHash: string;
  /** mosquitto `$7$...` hash of the same secret, for an external mosquitto's password file. */
  brokerPasswordHash: string | null;
  /** ISO time. */
  createdAt: string;
  /** ISO time of the last status message, null before the first. */
  lastSeen: string | null;
  version: string | null;
}

/** Credential lookup and last-seen updates, implemented by the manager's storage. */
export interface AgentRegistryPort {
  get(name: string): Promise<AgentRecord | null>;
  /** Creates or replaces the record of `record.name`. */
  put(record: AgentRecord): Promise<void>;
  /** Records that the agent was heard from. No-op for an unknown agent. */
  touch(name: string, seen: { at: string; version: string | null }): Promise<void>;
  list(): Promise<AgentRecord[]>;
  remove(name: string): Promise<void>;
}

/** A registry held in memory. */
export class InMemoryAgentRegistry implements AgentRegistryPort {
  readonly #records = new Map<string, AgentRecord>();

  get(name: string): Promise<AgentRecord | null> {
    const record = this.#records.get(name);
    return Promise.resolve(record === undefined ? null : { ...record });
  }
  put(record: AgentRecord): Promise<void> {
    this.#records.set(record.name, { ...record });
    return Promise.resolve();
  }
  touch(name: string, seen: { at: string; version: string | null }): Promise<void> {
    const record = this.#records.get(name);
    if (record !== undefined) {
      record.lastSeen = seen.at;
      record.version = seen.version;
    }
    return Promise.resolve();
  }
  list(): Promise<AgentRecord[]> {
    return Promise.resolve([...this.#records.values()].map((r) => ({ ...r })).sort((a, b) => a.name.localeCompare(b.name)));
  }
  remove(name: string): Promise<void> {
    this.#records.delete(name);
    return Promise.resolve();
  }
}

/** Options of {@link issueAgentCredentials}. */
export interface IssueCredentialsOptions {
  hostId?: string | null;
  /** scrypt cost (lower only in benchmarks). */
  scrypt?: ScryptOptions;
  /** Clock for `createdAt`. @default new Date() */
  now?: () => Date;
  /** Replace existing credentials of the agent. @default false */
  replace?: boolean;
}

/**
 * Issues credentials for agent `name`: a new random secret whose hashes are stored in the
 * registry. The secret is returned once and never stored.
 */
export async function issueAgentCredentials(registry: AgentRegistryPort, name: string, options: IssueCredentialsOptions = {}): Promise<AgentCredentials> {
  assertAgentName(name);
  const existing = await registry.get(name);
  if (existing !== null && options.replace !== true) {
    throw new UserError('conflict_error', `Agent ${name} already has credentials`, {
      httpStatus: 409,
      details: { name },
      hints: ['Pass replace: true to rotate them (the running agent must get the new secret)'],
    });
  }
  const password = generateSecret();
  await registry.put({
    name,
    hostId: options.hostId ?? existing?.hostId ?? null,
    credentialHash: await hashSecret(password, options.scrypt),
    brokerPasswordHash: await mosquittoHash(password),
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    lastSeen: existing?.lastSeen ?? null,
    version: existing?.version ?? null,
  });
  return { username: name, password };
}
