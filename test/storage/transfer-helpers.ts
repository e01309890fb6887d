/** Helpers for the export/import tests (also used by the cross-dialect test). */
import type { ExportItem, ExportRow, StoragePort } from '../../src/storage/index.js';
import { deployment, eventDoc, iso, seedDeployment } from './records.js';

/** Fills every restorable table (and the excluded ones) with a little of everything. */
export async function populate(s: StoragePort, events = 1500): Promise<void> {
  await seedDeployment(s, 'd1', 'bp1');
  await seedDeployment(s, 'd2', 'bp1');
  await s.deployments.create(deployment('d3', 'bp1', 3));
  await s.executions.create({ id: 'snap_ex', deploymentId: null, blueprintId: null, workflowId: 'create_snapshot', status: 'started', error: null, parameters: { snapshot_id: 's1' }, isSystemWorkflow: true, createdAt: iso(1), startedAt: null, endedAt: null });
  await s.nodeInstances.update('vm_d1', { state: 'started', runtimeProperties: { ip: '10.0.0.5', cloudify_agent: { name: 'vm_d1', broker_ip: '10.0.0.1' }, flag: true, n: 1.5 } });
  await s.agents.create({ name: 'vm_d1', deploymentId: 'd1', nodeInstanceId: 'vm_d1', credentialsHash: 'h', version: '3.3', lastSeen: iso(2), state: 'started', createdAt: iso(2) });
  await s.plugins.create({ id: 'p1', packageName: 'cloudify-openstack-plugin', packageVersion: '1.3', archiveName: 'p.wgn', supportedPlatform: 'any', distribution: null, distributionRelease: null, metadata: { nested: { x: [null, 1] } }, uploadedAt: iso(3) });
  await s.deploymentModifications.create({ id: 'm1', deploymentId: 'd2', status: 'finished', modifiedNodes: { vm: { instances: 2 } }, nodeInstances: {}, context: {}, createdAt: iso(4), endedAt: iso(5) });
  await s.events.append(Array.from({ length: events }, (_, i) => eventDoc(i, i % 2 ? 'ex_d1' : 'ex_d2', i % 2 ? 'd1' : 'd2')));
  // Not exported:
  await s.snapshots.create({ id: 's1', createdAt: iso(6), status: 'creating', error: null, size: null, sha256: null, encrypted: false });
  await s.users.create({ username: 'admin', passwordHash: 'x', role: 'admin', createdAt: iso(7) });
  await s.providerContext.set({ name: 'source', context: { from: 'source' } });
  await s.managerState.set('restore_in_progress', false);
}

/** Collects an export. */
export async function collect(s: StoragePort): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  for await (const item of s.exportAll()) items.push(item);
  return items;
}

/** The rows of an export, grouped by table (order kept). */
export function rowsByTable(items: readonly ExportItem[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const item of items) if (item.kind === 'row') (out[item.table] ??= []).push(item.row);
  return out;
}

/** Yields `items`, then throws before the end. */
export async function* failingAfter(items: readonly ExportItem[], n: number): AsyncGenerator<ExportItem> {
  for (const [i, item] of items.entries()) {
    if (i === n) throw new Error('stream broke');
    await Promise.resolve();
    yield item;
  }
}

/** A copy of the rows with one row of `table` duplicated (a duplicate key mid-stream). */
export function withDuplicate(items: readonly ExportItem[], table: string): ExportItem[] {
  const index = items.findIndex((i) => i.kind === 'row' && i.table === table);
  const row = items[index] as ExportRow;
  const copy = [...items];
  copy.splice(index + 1, 0, row);
  return copy.map((i) => (i.kind === 'end' ? { ...i, counts: { ...i.counts, [table]: (i.counts[table] ?? 0) + 1 } } : i));
}
