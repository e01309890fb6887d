/**
 * Decoding `lines` items (NDJSON of neutral rows) for importAll. A table whose only JSON column
 * is its last (events: `document`) takes a shortcut: the line is split at that column's key,
 * the scalar head is parsed and the column's JSON text is kept as it is, instead of parsing the
 * whole document and serializing it again (those two were the largest cost of a restore,
 * docs/decisions/snapshots-fast-export.md). The split is exact: before the key every value is a
 * scalar, and inside a JSON string a `"` is always escaped, so `,"document":` cannot occur
 * there. Any line that does not fit the shortcut is parsed whole.
 */
import { invalidExport } from './errors.js';
import type { Row } from './row-codec.js';
import type { TableSpec } from './tables.js';

/** A decoded line: the neutral row, and the stored JSON text of the last column when split off. */
export interface DecodedLine {
  row: Row;
  /** The last column's JSON text, verbatim (only when the line was split). */
  rawTail?: { column: string; text: string };
}

/** The key marker of a table's last column when it is its only JSON column, else undefined. */
function tailMarker(spec: TableSpec): string | undefined {
  const last = spec.columns[spec.columns.length - 1];
  if (last?.kind !== 'json' || spec.columns.slice(0, -1).some((c) => c.kind === 'json')) return undefined;
  return `,${JSON.stringify(last.column)}:`;
}

const markers = new WeakMap<TableSpec, string | null>();

function parseWhole(table: string, line: string): Row {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (cause) {
    throw Object.assign(invalidExport(`a ${table} line is not valid JSON`, { table }), { cause });
  }
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw invalidExport(`a ${table} line is not a JSON object`, { table });
  return row as Row;
}

/** Decodes one NDJSON line of `spec`'s table. Throws `storage_export_invalid` when it is not a JSON object. */
export function decodeLine(spec: TableSpec, line: string): DecodedLine {
  let marker = markers.get(spec);
  if (marker === undefined) markers.set(spec, (marker = tailMarker(spec) ?? null));
  if (marker !== null && line.charCodeAt(line.length - 1) === 0x7d /* } */) {
    const at = line.indexOf(marker);
    const text = at > 0 ? line.slice(at + marker.length, -1) : '';
    const [first, last] = [text.charCodeAt(0), text.charCodeAt(text.length - 1)];
    if ((first === 0x7b /* { */ && last === 0x7d) /* } */ || (first === 0x5b /* [ */ && last === 0x5d) /* ] */) {
      let head: unknown;
      try {
        head = JSON.parse(`${line.slice(0, at)}}`);
      } catch {
        return { row: parseWhole(spec.table, line) };
      }
      const column = spec.columns[spec.columns.length - 1]!.column;
      const row = head as Row;
      row[column] = true; // stands in for the missing-value check; the text is what gets stored
      return { row, rawTail: { column, text } };
    }
  }
  return { row: parseWhole(spec.table, line) };
}
