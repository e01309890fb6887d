/**
 * Shapes the storage export stream for a manager snapshot: drops the snapshot's own create
 * execution (its row, tasks and events, as the reference does), blanks agent credential hashes
 * when credentials are excluded, and records the blueprint ids seen. End counts are adjusted so
 * importAll's count check still holds.
 */
import type { ExportItem } from '../storage/index.js';

export interface ExportFilterOptions {
  /** The create execution to leave out. */
  excludeExecutionId?: string;
  /** @default true */
  includeCredentials?: boolean;
  /** Receives every blueprint id of the export, in order. */
  onBlueprint?: (id: string) => void;
}

/** The filtered export stream. */
export async function* filterManagerExport(items: AsyncIterable<ExportItem>, options: ExportFilterOptions): AsyncGenerator<ExportItem> {
  const dropped: Record<string, number> = {};
  const exclude = options.excludeExecutionId;
  for await (const item of items) {
    if (item.kind === 'end') {
      const counts = { ...item.counts };
      for (const [table, n] of Object.entries(dropped)) counts[table] = (counts[table] ?? 0) - n;
      yield { kind: 'end', counts };
      continue;
    }
    if (item.kind !== 'row') {
      yield item;
      continue;
    }
    const { table, row } = item;
    if (exclude !== undefined && ((table === 'executions' && row.id === exclude) || (table === 'events' && row.execution_id === exclude))) {
      dropped[table] = (dropped[table] ?? 0) + 1;
      continue;
    }
    if (table === 'blueprints' && typeof row.id === 'string') options.onBlueprint?.(row.id);
    if (table === 'agents' && options.includeCredentials === false) {
      yield { kind: 'row', table, row: { ...row, credentials_hash: null } };
      continue;
    }
    yield item;
  }
}
