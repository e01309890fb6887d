/**
 * List requests and responses: `_offset`, `_size`, `_sort`, `_include` in, the v2 envelope
 * `{items, metadata: {pagination: {total, size, offset}}}` out.
 */
import { badParameters, noSuchIncludeField } from '../errors.js';
import type { ListResult, SortKey } from '../store/port.js';

/** Largest page a client may ask for. */
export const maxPageSize = 1000;
/** Page size when `_size` is absent. */
export const defaultPageSize = 1000;

export type Query = Record<string, string | string[] | undefined>;

/** The list envelope. */
export interface ListEnvelope<T> {
  items: T[];
  metadata: { pagination: { total: number; size: number; offset: number } };
}

export interface CompiledListQuery {
  offset: number;
  size: number;
  sort: SortKey[];
  include: string[] | null;
}

/** The last value of a query parameter given once or repeated. */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** All values of a repeatable (or comma-separated) query parameter. */
export function many(query: Query, name: string): string[] {
  const value = query[name];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

function nonNegativeInt(query: Query, name: string, fallback: number): number {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw badParameters(`${name} must be a non-negative integer, got '${raw}'`, { [name]: raw });
  return Number(raw);
}

/** Reads a boolean query parameter (`true`/`false`, any case). */
export function booleanParam(query: Query, name: string, fallback: boolean): boolean {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw badParameters(`${name} must be true or false, got '${raw}'`, { [name]: raw });
}

/**
 * Validates paging, sort and include parameters against a resource's fields.
 * `_sort=field` ascending, `_sort=-field` descending; repeatable or comma-separated.
 */
export function compileListQuery(query: Query, fields: readonly string[], sortable: readonly string[] = fields): CompiledListQuery {
  const size = nonNegativeInt(query, '_size', defaultPageSize);
  if (size > maxPageSize) throw badParameters(`_size must be at most ${maxPageSize}, got ${size}`, { _size: size });
  const offset = nonNegativeInt(query, '_offset', 0);
  const sort = many(query, '_sort').map((raw) => {
    const desc = raw.startsWith('-');
    const field = desc || raw.startsWith('+') ? raw.slice(1) : raw;
    if (!sortable.includes(field)) {
      throw badParameters(`Cannot sort by '${field}'; sortable fields: ${sortable.join(', ')}`, { _sort: raw });
    }
    return { field, desc };
  });
  return { offset, size, sort, include: compileInclude(query, fields) };
}

/** Validates `_include` (null = all fields). Unknown field: 400 `no_such_include_field_error`. */
export function compileInclude(query: Query, fields: readonly string[]): string[] | null {
  const include = many(query, '_include');
  if (include.length === 0) return null;
  const unknown = include.filter((f) => !fields.includes(f));
  if (unknown.length > 0) {
    throw noSuchIncludeField(`Illegal _include field(s): ${unknown.join(', ')}; known fields: ${fields.join(', ')}`, {
      unknown,
    });
  }
  return include;
}

/** Keeps only the included fields of a record. */
export function project<T extends object>(record: T, include: readonly string[] | null): Partial<T> {
  if (!include) return record;
  const out: Record<string, unknown> = {};
  for (const f of include) out[f] = (record as Record<string, unknown>)[f];
  return out as Partial<T>;
}

/** Wraps a page of results in the v2 envelope. */
export function envelope<T extends object>(
  result: ListResult<T>,
  q: Pick<CompiledListQuery, 'offset' | 'size' | 'include'>,
): ListEnvelope<Partial<T>> {
  return {
    items: result.items.map((item) => project(item, q.include)),
    metadata: { pagination: { total: result.total, size: q.size, offset: q.offset } },
  };
}
