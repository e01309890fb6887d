/** The agent list for `GET /api/v2/agents`: every registered agent with its live state. */
import type { AgentRegistryPort } from './agent-registry.js';
import type { AgentTracker } from './agent-tracker.js';

/** One row of the agent list. `unknown`: registered, not heard from since the manager started. */
export interface AgentListItem {
  name: string;
  hostId: string | null;
  state: 'online' | 'offline' | 'unknown';
  /** ISO time; from the tracker, else the registry's last stored value. */
  lastSeen: string | null;
  version: string | null;
  running: number;
  reason: string | null;
}

/** Merges the registry (every agent that has credentials) with the tracker (live state), by name. */
export async function listAgents(registry: AgentRegistryPort, tracker: AgentTracker): Promise<AgentListItem[]> {
  const records = await registry.list();
  return records
    .map((record) => {
      const live = tracker.get(record.name);
      return {
        name: record.name,
        hostId: live?.hostId ?? record.hostId,
        state: live?.state ?? 'unknown',
        lastSeen: live?.lastSeen ?? record.lastSeen,
        version: live?.version ?? record.version,
        running: live?.running ?? 0,
        reason: live?.reason ?? null,
      } satisfies AgentListItem;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
