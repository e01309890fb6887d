/** `GET /agents`: every agent with credentials, its deployment, host instance and live state. */
import type { FastifyInstance } from 'fastify';
import type { AgentTracker } from '../../messaging/index.js';
import type { StorageAgentRegistry } from '../agents/storage-registry.js';
import { compileListQuery, single, type Query } from '../http/list.js';
import { doc } from '../http/schemas.js';

/** One row of `GET /api/v2/agents` (what `cfy agents list` prints). */
export interface AgentListRow {
  name: string;
  deployment_id: string;
  host_id: string;
  /** `online` / `offline` as the broker last saw it; `unknown` before it was heard from since the manager started. */
  state: 'online' | 'offline' | 'unknown';
  version: string | null;
  last_seen: string | null;
  running: number;
}

export const agentFields = ['name', 'deployment_id', 'host_id', 'state', 'version', 'last_seen', 'running'] as const;

/** Builds the rows: stored agents merged with the tracker's live view. */
export async function agentRows(registry: StorageAgentRegistry, tracker: AgentTracker | null): Promise<AgentListRow[]> {
  return (await registry.rows()).map((row) => {
    const live = tracker?.get(row.name);
    return {
      name: row.name,
      deployment_id: row.deploymentId,
      host_id: row.nodeInstanceId,
      state: live?.state ?? 'unknown',
      version: live?.version ?? row.version,
      last_seen: live?.lastSeen ?? row.lastSeen,
      running: live?.running ?? 0,
    };
  });
}

export function agentRoutes(app: FastifyInstance, registry: StorageAgentRegistry, tracker: () => AgentTracker | null): void {
  app.get<{ Querystring: Query }>('/agents', { schema: doc('agents', 'List the agents on managed hosts') }, async (request) => {
    // The list is built in memory (stored rows + live state), so a page may be as large as 10000.
    const size = Math.min(Number(single(request.query, '_size') ?? 1000) || 1000, 10_000);
    const q = { ...compileListQuery({ ...request.query, _size: String(Math.min(size, 1000)) }, agentFields, ['name']), size };
    let rows = await agentRows(registry, tracker());
    const deployment = single(request.query, 'deployment_id');
    if (deployment !== undefined) rows = rows.filter((r) => r.deployment_id === deployment);
    const total = rows.length;
    const items = rows.slice(q.offset, q.offset + q.size);
    return { items, metadata: { pagination: { total, size: q.size, offset: q.offset } } };
  });
}
