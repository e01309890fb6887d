/** Small helpers for walking untyped YAML data. */

/** A plain YAML mapping. */
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of plain YAML data. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as Mapping);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Mapping)[k], (b as Mapping)[k]),
  );
}

/** Python-ish `str()` of a value, as Cloudify's `concat` joins. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** A short description of a value's YAML kind, for messages. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return typeof value;
}

/** Own-property lookup that ignores prototype keys such as `constructor`. */
export function has(map: Mapping, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** A deep copy of plain data (used for defaults, so no two nodes share a mutable object). */
export function cloneData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneData) as T;
  const out: Mapping = {};
  for (const key in value) out[key] = cloneData((value as Mapping)[key]);
  return out as T;
}
