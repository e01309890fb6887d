/**
 * Converts between records (camelCase fields, JS values), database rows (snake_case columns,
 * stored values) and the neutral export form (snake_case columns, JS values). One place for
 * every value conversion, identical for both dialects.
 */
import type { ColumnKind, ColumnSpec, TableSpec } from './tables.js';

/** A database row as Kysely returns it. */
export type Row = Record<string, unknown>;

/** Stored value -> JS value. */
export function decodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'json':
      return JSON.parse(value as string);
    case 'bool':
      return value === 1 || value === true || value === '1';
    case 'int':
    case 'real':
      return typeof value === 'number' ? value : Number(value);
    default:
      return value;
  }
}

/** JS value -> stored value. */
export function encodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'json':
      return JSON.stringify(value);
    case 'bool':
      return value ? 1 : 0;
    default:
      return value;
  }
}

/** Database row -> record. */
export function rowToRecord<R>(spec: TableSpec, row: Row): R {
  const record: Record<string, unknown> = {};
  for (const c of spec.columns) record[c.field] = decodeValue(c.kind, row[c.column]);
  return record as R;
}

/**
 * Record (or partial record) -> row, for the fields present. Unknown fields are ignored;
 * `undefined` means "not given".
 */
export function recordToRow(spec: TableSpec, record: Readonly<Record<string, unknown>>): Row {
  const row: Row = {};
  for (const c of spec.columns) {
    const value = record[c.field];
    if (value !== undefined) row[c.column] = encodeValue(c.kind, value);
  }
  return row;
}

/** Database row -> neutral export row (snake_case keys, JS values). */
export function rowToNeutral(spec: TableSpec, row: Row): Row {
  const neutral: Row = {};
  for (const c of spec.columns) neutral[c.column] = decodeValue(c.kind, row[c.column]);
  return neutral;
}

/**
 * Database row -> its neutral export row as JSON text (no newline): the text
 * `JSON.stringify(rowToNeutral(spec, row))` gives, built without parsing JSON columns (their
 * stored text is already JSON, written by {@link encodeValue}, and is copied as is). The
 * snapshot fast path: parsing and re-serializing every event document was most of an export.
 */
export function neutralJsonEncoder(spec: TableSpec): (row: Row) => string {
  const parts = spec.columns.map((c, i) => ({ column: c.column, kind: c.kind, prefix: `${i === 0 ? '{' : ','}${JSON.stringify(c.column)}:` }));
  return (row) => {
    let text = '';
    for (const { column, kind, prefix } of parts) {
      const value = row[column];
      text += prefix;
      if (value === null || value === undefined) text += 'null';
      else if (kind === 'json') text += (value as string).includes('\n') ? (value as string).replaceAll('\n', ' ') : (value as string);
      else if (kind === 'bool') text += decodeValue(kind, value) ? 'true' : 'false';
      else text += JSON.stringify(decodeValue(kind, value));
    }
    return `${text}}`;
  };
}

const knownColumns = new WeakMap<TableSpec, ReadonlySet<string>>();

/** What is wrong with a neutral export row: unknown columns, missing values. */
export function neutralProblems(spec: TableSpec, neutral: Readonly<Row>): string[] {
  const problems: string[] = [];
  let known = knownColumns.get(spec);
  if (known === undefined) knownColumns.set(spec, (known = new Set(spec.columns.map((c) => c.column))));
  for (const key of Object.keys(neutral)) if (!known.has(key)) problems.push(`unknown column ${spec.table}.${key}`);
  for (const c of spec.columns) {
    const value = neutral[c.column];
    if ((value === undefined || value === null) && !c.nullable) problems.push(`missing value for ${spec.table}.${c.column}`);
  }
  return problems;
}

/** Neutral export row -> database row. Returns the columns that are missing or unknown. */
export function neutralToRow(spec: TableSpec, neutral: Readonly<Row>): { row: Row; problems: string[] } {
  const row: Row = {};
  for (const c of spec.columns) row[c.column] = encodeValue(c.kind, neutral[c.column]);
  return { row, problems: neutralProblems(spec, neutral) };
}

/**
 * Neutral export row -> the stored values of `columns`, appended to `params` (a multi-row
 * INSERT's parameters, no row object in between). Check the row with {@link neutralProblems}.
 */
export function appendNeutralParams(neutral: Readonly<Row>, columns: readonly ColumnSpec[], params: unknown[]): void {
  for (const c of columns) params.push(encodeValue(c.kind, neutral[c.column]));
}

/** The column of a record field, or undefined. */
export function columnOf(spec: TableSpec, field: string): ColumnSpec | undefined {
  return spec.columns.find((c) => c.field === field);
}
