/**
 * The agent registry over the manager's storage (`agents` table). Every call reads storage:
 * nothing is cached, so a restored snapshot (which replaces the agents table) lets the restored
 * agents back in at once and locks out agents that are not in it.
 */
import type { AgentRecord, AgentRegistryPort } from '../../messaging/index.js';
import type { AgentRecord as StoredAgent, StoragePort } from '../../storage/index.js';

/** `credentials_hash` holds the scrypt hash and the mosquitto hash, one per line. */
function splitHashes(value: string | null): { credentialHash: string; brokerPasswordHash: string | null } {
  const [credentialHash = '', brokerPasswordHash] = (value ?? '').split('\n');
  return { credentialHash, brokerPasswordHash: brokerPasswordHash === undefined || brokerPasswordHash === '' ? null : brokerPasswordHash };
}

function toRecord(row: StoredAgent): AgentRecord {
  return { name: row.name, hostId: row.nodeInstanceId, ...splitHashes(row.credentialsHash), createdAt: row.createdAt, lastSeen: row.lastSeen, version: row.version };
}

/** {@link AgentRegistryPort} over `StoragePort.agents`; also gives each agent's deployment. */
export class StorageAgentRegistry implements AgentRegistryPort {
  readonly #storage: () => StoragePort;

  /** @param storage the open storage (a getter, so a re-opened storage is picked up). */
  constructor(storage: () => StoragePort) {
    this.#storage = storage;
  }

  async get(name: string): Promise<AgentRecord | null> {
    const row = await this.#storage().agents.find(name);
    return row === null ? null : toRecord(row);
  }

  /** Creates or replaces; the deployment is that of the host node instance `record.hostId`. */
  async put(record: AgentRecord): Promise<void> {
    const storage = this.#storage();
    const hostId = record.hostId ?? record.name;
    const host = await storage.nodeInstances.find(hostId);
    if (host === null) throw new Error(`Agent ${record.name}: host node instance ${hostId} does not exist`);
    const row: StoredAgent = {
      name: record.name,
      deploymentId: host.deploymentId,
      nodeInstanceId: hostId,
      credentialsHash: [record.credentialHash, record.brokerPasswordHash ?? ''].join('\n'),
      version: record.version,
      lastSeen: record.lastSeen,
      state: 'created',
      createdAt: record.createdAt,
    };
    await storage.transaction(async (tx) => {
      if ((await tx.agents.find(record.name)) === null) await tx.agents.create(row);
      else await tx.agents.update(record.name, row);
    });
  }

  async touch(name: string, seen: { at: string; version: string | null }): Promise<void> {
    const storage = this.#storage();
    if ((await storage.agents.find(name)) === null) return;
    await storage.agents.update(name, { lastSeen: seen.at, version: seen.version }).catch(() => undefined);
  }

  async list(): Promise<AgentRecord[]> {
    return (await this.rows()).map(toRecord);
  }

  /** Every stored agent row (with its deployment), by name. */
  async rows(): Promise<StoredAgent[]> {
    const out: StoredAgent[] = [];
    const size = 1000;
    for (let offset = 0; ; offset += size) {
      const page = await this.#storage().agents.list({ offset, size, sort: ['name'] });
      out.push(...page.items);
      if (page.items.length < size) return out;
    }
  }

  async remove(name: string): Promise<void> {
    const storage = this.#storage();
    if ((await storage.agents.find(name)) !== null) await storage.agents.delete(name);
  }
}
