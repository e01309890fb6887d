/**
 * One description per table: columns and their kinds, key, what a list may sort and filter
 * by, and whether snapshots carry the table. Row encoding (row-codec.ts), the generic
 * repository, export/import and the integrity check all read these; the DDL is in
 * migrations/.
 */

/**
 * How a value is stored. `bool` is 0/1 and `time` is ISO-8601 text in both dialects; `json`
 * is JSON text in both (so a round trip is byte-exact and `\u0000` survives).
 */
export type ColumnKind = 'text' | 'int' | 'real' | 'bool' | 'json' | 'time';

/** A column: record field name, column name, kind, nullability. */
export interface ColumnSpec {
  field: string;
  column: string;
  kind: ColumnKind;
  nullable: boolean;
}

/** A table as the storage layer sees it. */
export interface TableSpec {
  table: string;
  /** Resource name used in error messages (`Blueprint bp1 not found`). */
  resource: string;
  columns: readonly ColumnSpec[];
  /** Key fields (record field names). */
  key: readonly string[];
  /** Fields a list may sort by. */
  sortable: readonly string[];
  /** Fields a list may filter by (equality, or any-of with an array). */
  filterable: readonly string[];
  /** Sort used when the caller gives none (fields, `-` for descending). */
  defaultSort: readonly string[];
  /** Whether snapshots export and restore this table. */
  restorable: boolean;
}

/** camelCase -> snake_case. */
export function toSnake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Builds column specs from `{ field: 'kind' | 'kind?' }` (`?` = nullable). */
function columns(spec: Record<string, `${ColumnKind}` | `${ColumnKind}?`>): ColumnSpec[] {
  return Object.entries(spec).map(([field, kind]) => ({
    field,
    column: toSnake(field),
    kind: kind.replace('?', '') as ColumnKind,
    nullable: kind.endsWith('?'),
  }));
}

function table(spec: Omit<TableSpec, 'columns' | 'defaultSort'> & {
  columns: Record<string, `${ColumnKind}` | `${ColumnKind}?`>;
  defaultSort?: readonly string[];
}): TableSpec {
  return { ...spec, columns: columns(spec.columns), defaultSort: spec.defaultSort ?? spec.key };
}

export const blueprintsTable = table({
  table: 'blueprints',
  resource: 'Blueprint',
  columns: { id: 'text', mainFileName: 'text', description: 'text?', plan: 'json', createdAt: 'time', updatedAt: 'time' },
  key: ['id'],
  sortable: ['id', 'createdAt', 'updatedAt'],
  filterable: ['id'],
  restorable: true,
});

export const deploymentsTable = table({
  table: 'deployments',
  resource: 'Deployment',
  columns: {
    id: 'text', blueprintId: 'text', description: 'text?', inputs: 'json', outputs: 'json', workflows: 'json',
    groups: 'json', policies: 'json', scalingGroups: 'json', createdAt: 'time', updatedAt: 'time',
  },
  key: ['id'],
  sortable: ['id', 'blueprintId', 'createdAt', 'updatedAt'],
  filterable: ['id', 'blueprintId'],
  restorable: true,
});

export const nodesTable = table({
  table: 'nodes',
  resource: 'Node',
  columns: {
    deploymentId: 'text', id: 'text', blueprintId: 'text', type: 'text', hostId: 'text?',
    numberOfInstances: 'int', plannedNumberOfInstances: 'int', model: 'json',
  },
  key: ['deploymentId', 'id'],
  sortable: ['deploymentId', 'id', 'type'],
  filterable: ['deploymentId', 'id', 'blueprintId', 'type'],
  restorable: true,
});

export const nodeInstancesTable = table({
  table: 'node_instances',
  resource: 'Node instance',
  columns: {
    id: 'text', deploymentId: 'text', nodeId: 'text', hostId: 'text?', state: 'text',
    runtimeProperties: 'json', version: 'int', relationships: 'json',
  },
  key: ['id'],
  sortable: ['id', 'deploymentId', 'nodeId', 'state'],
  filterable: ['id', 'deploymentId', 'nodeId', 'hostId', 'state'],
  restorable: true,
});

export const executionsTable = table({
  table: 'executions',
  resource: 'Execution',
  columns: {
    id: 'text', deploymentId: 'text?', blueprintId: 'text?', workflowId: 'text', status: 'text', error: 'text?',
    parameters: 'json', isSystemWorkflow: 'bool', createdAt: 'time', startedAt: 'time?', endedAt: 'time?',
  },
  key: ['id'],
  sortable: ['id', 'deploymentId', 'workflowId', 'status', 'createdAt', 'startedAt', 'endedAt'],
  filterable: ['id', 'deploymentId', 'blueprintId', 'workflowId', 'status', 'isSystemWorkflow'],
  defaultSort: ['createdAt', 'id'],
  restorable: true,
});

export const tasksTable = table({
  table: 'tasks',
  resource: 'Task',
  columns: {
    id: 'text', executionId: 'text', position: 'int', name: 'text', state: 'text', attempt: 'int', nextAttemptAt: 'time?',
    invocation: 'json', result: 'json?', error: 'json?', createdAt: 'time', updatedAt: 'time',
  },
  key: ['id'],
  sortable: ['id', 'executionId', 'position', 'createdAt', 'updatedAt', 'nextAttemptAt', 'state'],
  filterable: ['id', 'executionId', 'state', 'name'],
  defaultSort: ['executionId', 'position'],
  restorable: true,
});

export const snapshotsTable = table({
  table: 'snapshots',
  resource: 'Snapshot',
  columns: {
    id: 'text', createdAt: 'time', status: 'text', error: 'text?', size: 'int?', sha256: 'text?', encrypted: 'bool',
  },
  key: ['id'],
  sortable: ['id', 'createdAt', 'status'],
  filterable: ['id', 'status'],
  defaultSort: ['createdAt', 'id'],
  restorable: false,
});

export const providerContextTable = table({
  table: 'provider_context',
  resource: 'Provider context',
  columns: { id: 'text', name: 'text', context: 'json' },
  key: ['id'],
  sortable: ['id'],
  filterable: ['id'],
  restorable: false,
});

export const usersTable = table({
  table: 'users',
  resource: 'User',
  columns: { username: 'text', passwordHash: 'text', role: 'text', createdAt: 'time' },
  key: ['username'],
  sortable: ['username', 'role', 'createdAt'],
  filterable: ['username', 'role'],
  restorable: false,
});

export const tokensTable = table({
  table: 'tokens',
  resource: 'Token',
  columns: { hash: 'text', username: 'text', createdAt: 'time', expiresAt: 'time' },
  key: ['hash'],
  sortable: ['createdAt', 'expiresAt'],
  filterable: ['hash', 'username'],
  restorable: false,
});

export const agentsTable = table({
  table: 'agents',
  resource: 'Agent',
  columns: {
    name: 'text', deploymentId: 'text', nodeInstanceId: 'text', credentialsHash: 'text?', version: 'text?',
    lastSeen: 'time?', state: 'text', createdAt: 'time',
  },
  key: ['name'],
  sortable: ['name', 'deploymentId', 'state', 'lastSeen', 'createdAt'],
  filterable: ['name', 'deploymentId', 'nodeInstanceId', 'state'],
  restorable: true,
});

export const pluginsTable = table({
  table: 'plugins',
  resource: 'Plugin',
  columns: {
    id: 'text', packageName: 'text', packageVersion: 'text', archiveName: 'text', supportedPlatform: 'text',
    distribution: 'text?', distributionRelease: 'text?', metadata: 'json', uploadedAt: 'time',
  },
  key: ['id'],
  sortable: ['id', 'packageName', 'packageVersion', 'uploadedAt'],
  filterable: ['id', 'packageName', 'packageVersion', 'archiveName'],
  defaultSort: ['uploadedAt', 'id'],
  restorable: true,
});

export const deploymentModificationsTable = table({
  table: 'deployment_modifications',
  resource: 'Deployment modification',
  columns: {
    id: 'text', deploymentId: 'text', status: 'text', modifiedNodes: 'json', nodeInstances: 'json', context: 'json',
    createdAt: 'time', endedAt: 'time?',
  },
  key: ['id'],
  sortable: ['id', 'deploymentId', 'status', 'createdAt', 'endedAt'],
  filterable: ['id', 'deploymentId', 'status'],
  defaultSort: ['createdAt', 'id'],
  restorable: true,
});

export const eventsTable = table({
  table: 'events',
  resource: 'Event',
  columns: {
    seq: 'int', timestamp: 'time', type: 'text', executionId: 'text?', deploymentId: 'text?', blueprintId: 'text?',
    workflowId: 'text?', nodeId: 'text?', nodeInstanceId: 'text?', level: 'text?', eventType: 'text?', message: 'text',
    document: 'json',
  },
  key: ['seq'],
  sortable: ['seq', 'timestamp'],
  filterable: ['executionId', 'deploymentId', 'blueprintId', 'workflowId', 'nodeId', 'nodeInstanceId', 'type', 'level', 'eventType'],
  restorable: true,
});

export const managerStateTable = table({
  table: 'manager_state',
  resource: 'Manager state key',
  columns: { key: 'text', value: 'json', updatedAt: 'time' },
  key: ['key'],
  sortable: ['key'],
  filterable: ['key'],
  restorable: false,
});

/**
 * Every table, parents before children (the order import inserts in; delete runs reversed).
 * Not restorable (kept by the target manager, say so to users): snapshots, provider_context,
 * users, tokens, manager_state.
 */
export const allTables: readonly TableSpec[] = [
  blueprintsTable,
  deploymentsTable,
  nodesTable,
  nodeInstancesTable,
  executionsTable,
  tasksTable,
  deploymentModificationsTable,
  agentsTable,
  pluginsTable,
  eventsTable,
  snapshotsTable,
  providerContextTable,
  usersTable,
  tokensTable,
  managerStateTable,
];

/** Tables a snapshot carries, parents first. */
export const restorableTables: readonly TableSpec[] = allTables.filter((t) => t.restorable);
