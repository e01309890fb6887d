/**
 * The generic part of the ctx proxy: a tree of attribute groups, dictionaries and functions, and
 * the walk that turns `ctx instance runtime-properties port 8080` into a read, write or call,
 * the way Cloudify's proxy server does (`-` in names reads as `_`; a dict with one argument left is
 * read by dotted path, with two arguments left is written; a function gets the remaining
 * arguments, a trailing object being keyword arguments).
 */
import { getByPath, setByPath } from '../../context/dict-path.js';

/** A group of named attributes (`ctx.node`, `ctx.logger`...). Null members say why they are absent. */
export class CtxGroup {
  constructor(
    readonly members: Readonly<Record<string, unknown>>,
    /** Why a member that is null is unavailable (e.g. source outside relationship operations). */
    readonly absent: Readonly<Record<string, string>> = {},
  ) {}
}

/** A dictionary addressed by dotted paths (`properties`, `runtime_properties`). */
export class CtxDict {
  constructor(
    readonly data: () => Record<string, unknown>,
    readonly writable: boolean,
    readonly label: string,
  ) {}
}

/** A callable member with named parameters (so keyword arguments can be bound). */
export class CtxFunction {
  constructor(
    readonly params: readonly string[],
    readonly impl: (...args: unknown[]) => unknown,
  ) {}

  call(positional: unknown[], kwargs: Record<string, unknown>): unknown {
    const args = [...positional];
    for (const [name, value] of Object.entries(kwargs)) {
      const index = this.params.indexOf(name);
      if (index < 0)
        throw new Error(
          `unexpected keyword argument '${name}' (expected: ${this.params.join(', ')})`,
        );
      args[index] = value;
    }
    return this.impl(...args);
  }
}

/** Resolves one ctx request (`args` as sent by the `ctx` command or the Python client). */
export async function processCtxRequest(
  root: CtxGroup,
  args: readonly unknown[],
): Promise<unknown> {
  let current: unknown = root;
  const trail: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (current instanceof CtxGroup) {
      const name = typeof arg === 'string' ? memberName(current, arg) : undefined;
      if (name === undefined)
        throw new Error(
          `${String(arg)} cannot be processed in ${describe(args)} (unknown attribute of 'ctx${dotted(trail)}')`,
        );
      const member = current.members[name];
      if (member === null && current.absent[name]) throw new Error(current.absent[name]);
      current = member;
      trail.push(name);
      continue;
    }
    const rest = args.slice(index);
    if (current instanceof CtxDict) return accessDict(current, rest);
    if (current instanceof CtxFunction) return await callWith(current, rest);
    throw new Error(`${String(arg)} cannot be processed in ${describe(args)}`);
  }
  if (current instanceof CtxFunction) return await current.call([], {});
  if (current instanceof CtxDict) return current.data();
  if (current instanceof CtxGroup) {
    throw new Error(
      `'ctx${dotted(trail)}' needs one more argument, one of: ${Object.keys(current.members).join(', ')}`,
    );
  }
  return current;
}

/** The member of `group` called `name`, accepting `-` for `_`. */
export function memberName(group: CtxGroup, name: string): string | undefined {
  if (Object.hasOwn(group.members, name)) return name;
  const desugared = name.replaceAll('-', '_');
  return Object.hasOwn(group.members, desugared) ? desugared : undefined;
}

function accessDict(dict: CtxDict, rest: unknown[]): unknown {
  const [key, value] = rest;
  if (typeof key !== 'string') throw new Error(`a key of ${dict.label} must be a string`);
  if (rest.length === 1) return getByPath(dict.data(), key);
  if (rest.length === 2) {
    if (!dict.writable) throw new Error(`${dict.label} are read-only`);
    setByPath(dict.data(), key, value);
    return null;
  }
  throw new Error(
    `Illegal argument while accessing dict: ${dict.label} takes KEY (read) or KEY VALUE (write)`,
  );
}

async function callWith(fn: CtxFunction, rest: unknown[]): Promise<unknown> {
  const last = rest.at(-1);
  // A trailing object is keyword arguments when every key names a parameter (else it is a value).
  if (
    last !== null &&
    typeof last === 'object' &&
    !Array.isArray(last) &&
    Object.keys(last).every((k) => fn.params.includes(k))
  ) {
    return await fn.call(rest.slice(0, -1), last as Record<string, unknown>);
  }
  return await fn.call(rest, {});
}

function describe(args: readonly unknown[]): string {
  return JSON.stringify(args);
}

function dotted(trail: string[]): string {
  return trail.map((t) => `.${t}`).join('');
}
