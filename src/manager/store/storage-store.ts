/**
 * Adapts src/storage's {@link StoragePort} (camelCase records, SQLite/PostgreSQL) to the
 * manager's REST-shaped {@link ManagerStorePort}. The only place that knows both shapes.
 */
import { createExecutionStore, createInstanceStore } from '../../storage/index.js';
import type { StoragePort, StorageRecords } from './storage-types.js';
import type { EventQuery, FieldFilter, ListQuery, ListResult, ManagerStorePort, SortKey } from './port.js';
import { endStates } from './records.js';
import type { EventDocument } from './records.js';
import { blueprint, deployment, execution, instance, node, plugin } from './storage-mappers.js';

type S = StorageRecords;

const camel = (field: string): string => field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function storageQuery(query: ListQuery): { filter?: Record<string, never>; offset: number; size: number; sort: string[] } {
  const filter: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query.filter ?? {})) if (v !== undefined) filter[camel(k)] = v;
  return {
    filter: filter as Record<string, never>,
    offset: query.offset,
    size: query.size,
    sort: (query.sort ?? []).map((s: SortKey) => `${s.desc ? '-' : ''}${camel(s.field)}`),
  };
}

function mapped<A, B>(result: { items: A[]; total: number }, fn: (a: A) => B): ListResult<B> {
  return { items: result.items.map(fn), total: result.total };
}

/** Maps a partial REST record: maps it as if full, keeps only the fields the patch gave. */
const patchOf = <T extends object>(patch: Partial<T>, fn: (full: T) => object): Record<string, unknown> => {
  const given = new Set(Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined).map(camel));
  const full = fn(patch as T) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(full).filter(([k]) => given.has(k)));
};

/** Context filter key -> storage event query field. */
const eventFilterFields: Record<string, 'deploymentId' | 'executionId' | 'blueprintId' | 'workflowId' | 'nodeId' | 'nodeInstanceId'> = {
  deployment_id: 'deploymentId',
  execution_id: 'executionId',
  blueprint_id: 'blueprintId',
  workflow_id: 'workflowId',
  node_name: 'nodeId',
  node_id: 'nodeInstanceId',
};

function eventQuery(q: EventQuery): Parameters<StoragePort['events']['list']>[0] {
  const out: Record<string, unknown> = { offset: q.offset, size: q.size };
  for (const [key, value] of Object.entries(q.context ?? {})) {
    const field = eventFilterFields[key];
    if (field && value !== undefined) out[field] = value;
  }
  if (q.types && q.types.length > 0) out.type = q.types;
  if (q.levels && q.levels.length > 0) out.level = q.levels;
  if (q.from !== undefined) out.from = q.from;
  if (q.to !== undefined) out.to = q.to;
  if (q.afterSeq !== undefined) out.afterSeq = q.afterSeq;
  const sort = (q.sort ?? []).map((s) => `${s.desc ? '-' : ''}${s.field === '_seq' ? 'seq' : 'timestamp'}`);
  out.sort = sort.some((s) => s.endsWith('seq')) ? sort : [...sort, 'seq'];
  return out;
}

function withoutUndefined(filter: FieldFilter): FieldFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

/** The manager store over an open storage adapter. `close()` closes the storage. */
export function createStorageStore(storage: StoragePort, now: () => Date = () => new Date()): ManagerStorePort {
  const engineTasks = createExecutionStore(storage, () => now().getTime());
  const find = async <A, B>(p: Promise<A | null>, fn: (a: A) => B): Promise<B | undefined> => {
    const r = await p;
    return r === null ? undefined : fn(r);
  };
  return {
    blueprints: {
      get: (id) => find(storage.blueprints.find(id), blueprint.toRest),
      insert: async (r) => void (await storage.blueprints.create(blueprint.toStorage(r))),
      update: async (id, p) => blueprint.toRest(await storage.blueprints.update(id, patchOf(p, blueprint.toStorage))),
      delete: async (id) => (await storage.blueprints.find(id)) !== null && (await storage.blueprints.delete(id), true),
      list: async (q) => mapped(await storage.blueprints.list(storageQuery(q)), blueprint.toRest),
    },
    deployments: {
      get: (id) => find(storage.deployments.find(id), deployment.toRest),
      insert: async (r) => void (await storage.deployments.create(deployment.toStorage(r))),
      update: async (id, p) => deployment.toRest(await storage.deployments.update(id, patchOf(p, deployment.toStorage))),
      delete: async (id) => (await storage.deployments.find(id)) !== null && (await storage.deployments.delete(id), true),
      list: async (q) => mapped(await storage.deployments.list(storageQuery(q)), deployment.toRest),
    },
    nodes: {
      insertMany: (rs) => storage.nodes.createMany(rs.map(node.toStorage)),
      get: (deploymentId, id) => find(storage.nodes.find({ deploymentId, id }), node.toRest),
      list: async (q) => mapped(await storage.nodes.list(storageQuery(q)), node.toRest),
      deleteByDeployment: async (deploymentId) => void (await storage.nodes.deleteWhere({ deploymentId })),
    },
    nodeInstances: {
      get: (id) => find(storage.nodeInstances.find(id), instance.toRest),
      insert: async (r) => void (await storage.nodeInstances.create(instance.toStorage(r))),
      insertMany: (rs) => storage.nodeInstances.createMany(rs.map(instance.toStorage)),
      update: async (id, p) => instance.toRest(await storage.nodeInstances.update(id, patchOf(p, instance.toStorage))),
      updateRuntimeProperties: async (id, runtimeProperties, expectedVersion) =>
        instance.toRest(await storage.nodeInstances.update(id, { runtimeProperties }, expectedVersion)),
      delete: async (id) => (await storage.nodeInstances.find(id)) !== null && (await storage.nodeInstances.delete(id), true),
      deleteByDeployment: async (deploymentId) => void (await storage.nodeInstances.deleteWhere({ deploymentId })),
      list: async (q) => mapped(await storage.nodeInstances.list(storageQuery(q)), instance.toRest),
    },
    executions: {
      get: (id) => find(storage.executions.find(id), execution.toRest),
      insert: async (r) => void (await storage.executions.create(execution.toStorage(r))),
      update: async (id, p) => {
        const patch: Partial<S['execution']> = {};
        if (p.status !== undefined) patch.status = p.status;
        if (p.error !== undefined) patch.error = p.error === '' ? null : p.error;
        if (p.parameters !== undefined) patch.parameters = p.parameters;
        if (p.status === 'started') patch.startedAt = now().toISOString();
        if (p.status !== undefined && endStates.includes(p.status)) patch.endedAt = now().toISOString();
        return execution.toRest(await storage.executions.update(id, patch));
      },
      delete: async (id) => (await storage.executions.find(id)) !== null && (await storage.executions.delete(id), true),
      list: async (q) =>
        mapped(await storage.executions.list(storageQuery({ ...q, filter: withoutUndefined(q.filter ?? {}) })), execution.toRest),
    },
    // The engine's intent records: on SQLite, prepared statements through the connection's
    // group-commit queue (src/storage/engine-sqlite.ts); elsewhere the repositories.
    tasks: {
      put: (t) => engineTasks.putTask(t),
      finish: (id, outcome) => engineTasks.finishTask(id, outcome),
      list: (executionId, states) => engineTasks.listTasks(executionId, states),
    },
    engineInstances: (deploymentId) => createInstanceStore(storage, deploymentId),
    events: {
      append: async (docs) => void (await storage.events.append(docs)),
      list: async (q) => {
        const page = await storage.events.listDocuments(eventQuery(q));
        const lastSeq = page.items.reduce<number | null>((max, r) => (max === null || r.seq > max ? r.seq : max), null);
        return { ...mapped(page, (r): EventDocument => ({ ...r.document, '@timestamp': r.timestamp })), lastSeq };
      },
      deleteByDeployment: async (id) => void (await storage.events.deleteForDeployment(id)),
    },
    providerContext: {
      get: async () => (await storage.providerContext.get()) ?? undefined,
      set: (r) => storage.providerContext.set(r),
    },
    users: {
      get: (username) =>
        find(storage.users.find(username), (u) => ({
          username: u.username, password_hash: u.passwordHash, role: u.role, created_at: u.createdAt,
        })),
      insert: async (u) =>
        void (await storage.users.create({ username: u.username, passwordHash: u.password_hash, role: u.role, createdAt: u.created_at })),
      count: async () => (await storage.users.list({ size: 0 })).total,
    },
    tokens: {
      get: (hash) =>
        find(storage.tokens.find(hash), (t) => ({
          value_hash: t.hash, username: t.username, created_at: t.createdAt, expires_at: t.expiresAt,
        })),
      insert: async (t) =>
        void (await storage.tokens.create({ hash: t.value_hash, username: t.username, createdAt: t.created_at, expiresAt: t.expires_at })),
    },
    plugins: { list: async (q) => mapped(await storage.plugins.list(storageQuery(q)), plugin) },
    close: () => storage.close(),
  };
}
