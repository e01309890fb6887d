/**
 * Shapes the storage export stream for a manager snapshot: drops the snapshot's own create
 * execution (its row, tasks and events, as the reference does), blanks agent credential hashes
 * when credentials are excluded, and records the blueprint ids seen. End counts are adjusted so
 * importAll's count check still holds.
 *
 * `lines` items (the ndjson export) are only parsed for the two small tables this needs
 * (blueprint ids, agent credentials); leaving out the create execution is then storage's job
 * (`exportAll({ excludeExecutionId })`), as parsing every event line would cost what the ndjson
 * export saves.
 */
import type { ExportItem, ExportLines } from '../storage/index.js';

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
    if (item.kind === 'lines') {
      yield filterLines(item, options);
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

/** The `lines` counterpart of the row filter: blueprint ids, blanked credentials. */
function filterLines(item: ExportLines, options: ExportFilterOptions): ExportLines {
  const blankCredentials = item.table === 'agents' && options.includeCredentials === false;
  if (item.table !== 'blueprints' && !blankCredentials) return item;
  const rows = item.ndjson.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Record<string, unknown>);
  if (item.table === 'blueprints') {
    for (const row of rows) if (typeof row.id === 'string') options.onBlueprint?.(row.id);
    return item;
  }
  return { ...item, ndjson: rows.map((row) => `${JSON.stringify({ ...row, credentials_hash: null })}\n`).join('') };
}
