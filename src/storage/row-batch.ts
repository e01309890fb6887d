/**
 * Turning neutral rows (objects or NDJSON lines) into the flat parameters of a multi-row INSERT:
 * the per-row work of importAll, kept free of any database so it can also run in another thread
 * (a large restore parses in a worker while the main thread writes). Every row is checked here: unknown columns, missing required values, and
 * lines that are not JSON objects fail with `storage_export_invalid`.
 */
import { invalidExport } from './errors.js';
import { decodeLine, type DecodedLine } from './ndjson-rows.js';
import type { EncodedRows, ImportMode } from './port.js';
import { appendNeutralParams, neutralProblems, type Row } from './row-codec.js';
import { restorableTables, type ColumnSpec, type TableSpec } from './tables.js';

const specs = new Map(restorableTables.map((t) => [t.table, t]));

/** The restorable table named `table`, or `storage_export_invalid`. */
export function restorableSpec(table: string): TableSpec {
  const spec = specs.get(table);
  if (!spec) throw invalidExport(`unknown or non-restorable table ${table}`, { table });
  return spec;
}

/** The columns an import writes: all of them, except `events.seq` in a merge (events get new sequence numbers). */
export function importColumns(spec: TableSpec, mode: ImportMode): readonly ColumnSpec[] {
  return mode === 'merge' && spec.table === 'events' ? spec.columns.filter((c) => c.column !== 'seq') : spec.columns;
}

/** Checks one neutral row and appends its stored values for `columns` to `params`. */
export function appendRow(spec: TableSpec, columns: readonly ColumnSpec[], neutral: Row, params: unknown[], rawTail?: DecodedLine['rawTail']): void {
  const problems = neutralProblems(spec, neutral);
  if (problems.length > 0) throw invalidExport(problems.join('; '), { table: spec.table, problems });
  appendNeutralParams(neutral, columns, params);
  if (rawTail !== undefined) params[params.length - 1] = rawTail.text; // the last column, stored as given
}

/** Encodes the NDJSON rows of `table` (one neutral row per line; empty lines skipped). */
export function encodeLines(table: string, ndjson: string, mode: ImportMode): EncodedRows {
  const spec = restorableSpec(table);
  const columns = importColumns(spec, mode);
  const params: unknown[] = [];
  let count = 0;
  let start = 0;
  while (start < ndjson.length) {
    let end = ndjson.indexOf('\n', start);
    if (end === -1) end = ndjson.length;
    if (end > start) {
      const { row, rawTail } = decodeLine(spec, ndjson.slice(start, end));
      appendRow(spec, columns, row, params, rawTail);
      count += 1;
    }
    start = end + 1;
  }
  return { kind: 'encoded', table, columns: columns.map((c) => c.column), params, count };
}
