/**
 * REST list semantics over any table: equality filters on allowed fields, `-field` sorts on
 * allowed fields (the key is always appended as a tie-breaker, so pages are stable),
 * `_offset` / `_size` with a size cap.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { AnyDb } from './db.js';
import { badListQuery } from './errors.js';
import type { ListQuery } from './port.js';
import { columnOf, encodeValue } from './row-codec.js';
import type { TableSpec } from './tables.js';

/** Default page size. */
export const defaultPageSize = 1000;
/** Largest page a list returns. */
export const maxPageSize = 10_000;

type Select = SelectQueryBuilder<AnyDb, string, Record<string, unknown>>;
type FilterValue = NonNullable<ListQuery['filter']>[string];

/** Validated offset and size. */
export function pageOf(offset: number | undefined, size: number | undefined): { offset: number; size: number } {
  const o = offset ?? 0;
  const s = size ?? defaultPageSize;
  if (!Number.isInteger(o) || o < 0) throw badListQuery(`Invalid offset ${o}: expected an integer >= 0`, { offset: o });
  if (!Number.isInteger(s) || s < 0) throw badListQuery(`Invalid size ${s}: expected an integer >= 0`, { size: s });
  return { offset: o, size: Math.min(s, maxPageSize) };
}

/** Adds `where` clauses for the filter; rejects fields the table does not allow. */
export function applyFilter<Q extends Select>(spec: TableSpec, query: Q, filter: ListQuery['filter']): Q {
  let q = query;
  for (const [field, value] of Object.entries(filter ?? {})) {
    const column = columnOf(spec, field);
    if (!column || !spec.filterable.includes(field)) {
      throw badListQuery(`Cannot filter ${spec.table} by ${field}; allowed: ${spec.filterable.join(', ')}`, {
        field,
        allowed: spec.filterable,
      });
    }
    q = whereValue(q, column.column, (v) => encodeValue(column.kind, v), value);
  }
  return q;
}

/** `column = value`, `column is null`, or `column in (...)` (an empty list matches nothing). */
export function whereValue<Q extends Select>(query: Q, column: string, encode: (v: unknown) => unknown, value: FilterValue | undefined): Q {
  if (value === undefined) return query;
  if (value === null) return query.where(column, 'is', null) as Q;
  if (Array.isArray(value)) {
    const values = (value as readonly unknown[]).map(encode);
    return (values.length === 0 ? query.where(sql<boolean>`1 = 0`) : query.where(column, 'in', values)) as Q;
  }
  return query.where(column, '=', encode(value)) as Q;
}

/** Parses `['-createdAt', 'id']` into columns; rejects fields the table does not allow. */
export function parseSort(spec: TableSpec, sort: readonly string[] | undefined): { column: string; desc: boolean }[] {
  const requested = sort && sort.length > 0 ? sort : spec.defaultSort;
  const out: { column: string; desc: boolean }[] = [];
  for (const entry of [...requested, ...spec.key]) {
    const desc = entry.startsWith('-');
    const field = desc ? entry.slice(1) : entry;
    const column = columnOf(spec, field);
    const isKey = spec.key.includes(field);
    if (!column || (!spec.sortable.includes(field) && !isKey)) {
      throw badListQuery(`Cannot sort ${spec.table} by ${field}; allowed: ${spec.sortable.join(', ')}`, {
        field,
        allowed: spec.sortable,
      });
    }
    if (!out.some((o) => o.column === column.column)) out.push({ column: column.column, desc });
  }
  return out;
}

/** Adds `order by` for parsed sort entries. */
export function applySort<Q extends Select>(query: Q, sort: readonly { column: string; desc: boolean }[]): Q {
  let q = query;
  for (const s of sort) q = q.orderBy(s.column, s.desc ? 'desc' : 'asc') as Q;
  return q;
}
