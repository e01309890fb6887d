/**
 * Cloudify's dotted property paths (`endpoint.port`, `endpoint.urls[2]`), used by the ctx proxy
 * for `ctx node properties KEY` and `ctx instance runtime-properties KEY [VALUE]`.
 */

const indexed = /^(.+)\[(\d+)\]$/;

/** Reads `path` in `root`. Throws an Error naming the path when a segment is missing. */
export function getByPath(root: Record<string, unknown>, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    current = step(current, segment, path);
  }
  return current;
}

/** Sets `path` in `root` to `value`, creating missing intermediate objects (as Cloudify does). */
export function setByPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  const last = segments.pop()!;
  let current: Record<string, unknown> = root;
  for (const segment of segments) {
    const match = indexed.exec(segment);
    let next: unknown;
    if (match) {
      next = step(current, segment, path);
    } else {
      next = current[segment];
      if (next === undefined) {
        next = {};
        current[segment] = next;
      }
    }
    if (typeof next !== 'object' || next === null) throw illegal(path);
    current = next as Record<string, unknown>;
  }
  current[last] = value;
}

/** Deletes the last segment of `path` from `root`; missing keys are ignored. */
export function deleteByPath(root: Record<string, unknown>, path: string): void {
  const segments = path.split('.');
  const last = segments.pop()!;
  const parent = segments.length === 0 ? root : getByPath(root, segments.join('.'));
  if (typeof parent === 'object' && parent !== null) Reflect.deleteProperty(parent, last);
}

function step(current: unknown, segment: string, path: string): unknown {
  if (typeof current !== 'object' || current === null) throw illegal(path);
  const match = indexed.exec(segment);
  if (match) {
    const list = (current as Record<string, unknown>)[match[1]!];
    if (!Array.isArray(list)) throw illegal(path);
    const index = Number(match[2]);
    if (index >= list.length) throw illegal(path);
    return list[index] as unknown;
  }
  if (!Object.hasOwn(current, segment)) throw illegal(path);
  return (current as Record<string, unknown>)[segment];
}

function illegal(path: string): Error {
  return new Error(`illegal path: ${path}`);
}
