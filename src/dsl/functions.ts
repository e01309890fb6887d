/**
 * Intrinsic functions: `get_input`, `get_property`, `concat` are evaluated statically (once the
 * inputs are known); `get_attribute` is validated and left in place for runtime evaluation.
 * The same evaluator validates a blueprint (inputs unknown) and plans a deployment.
 */
import type { PathSegments } from './diagnostics.js';
import { has, isMapping, pyStr, type Mapping } from './util.js';

export const FUNCTION_NAMES = ['get_input', 'get_property', 'get_attribute', 'concat'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** True for `{ <function>: args }` (a mapping with exactly one key that names a function). */
export function isFunctionCall(value: unknown): boolean {
  if (!isMapping(value)) return false;
  let count = 0;
  let name = '';
  for (const key in value) {
    if (++count > 1) return false;
    name = key;
  }
  return count === 1 && (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** The function name of a call. */
export function functionName(call: Mapping): FunctionName {
  return Object.keys(call)[0] as FunctionName;
}

const functionFree = new WeakMap<object, boolean>();

/** True when `value` holds any intrinsic function (memoised per object; values are never mutated). */
export function containsFunction(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const known = functionFree.get(value);
  if (known !== undefined) return !known;
  let found = false;
  if (Array.isArray(value)) found = value.some(containsFunction);
  else if (isFunctionCall(value)) found = true;
  else
    for (const key in value as Mapping)
      if (containsFunction((value as Mapping)[key])) {
        found = true;
        break;
      }
  functionFree.set(value, !found);
  return found;
}

const operationsFree = new WeakMap<object, boolean>();

/**
 * True when any operation of `operations` has an intrinsic function in its inputs. Memoised per
 * record: templates that override nothing share their type's record, so a blueprint with
 * thousands of nodes checks each distinct record once instead of every operation of every node.
 */
export function operationsContainFunction(
  operations: Readonly<Record<string, { readonly inputs: unknown }>>,
): boolean {
  const known = operationsFree.get(operations);
  if (known !== undefined) return !known;
  let found = false;
  for (const name in operations)
    if (containsFunction(operations[name]!.inputs)) {
      found = true;
      break;
    }
  operationsFree.set(operations, !found);
  return found;
}

/** True when `value` still holds a runtime function (`get_attribute`) somewhere. */
export function containsRuntimeFunction(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRuntimeFunction);
  if (!isMapping(value)) return false;
  if (has(value, 'get_attribute') && isFunctionCall(value)) return true;
  for (const key in value) if (containsRuntimeFunction(value[key])) return true;
  return false;
}

/** Where a function is evaluated: which nodes SELF / SOURCE / TARGET mean. */
export type FunctionScope =
  | { kind: 'node'; node: string }
  | { kind: 'relationship'; source: string; target: string }
  | { kind: 'outputs' };

/** A place a value sits at: the node (or null for outputs) and the path in the blueprint. */
export interface FunctionSite {
  path: PathSegments;
}

export type FunctionErrorCode =
  'bad_function' | 'function_cycle' | 'unknown_input' | 'property_path_missing';

export interface FunctionError {
  code: FunctionErrorCode;
  path: PathSegments;
  message: string;
}

/** Returned for values that cannot be known yet (inputs unknown) or after an error. */
export const UNKNOWN: unique symbol = Symbol('unknown value');

/** What the evaluator needs to know about the blueprint. */
export interface FunctionEnvironment {
  /** Node template properties (defaults applied, functions unevaluated). */
  nodeProperties(node: string): Mapping | undefined;
  /** Declared input names. */
  hasInput(name: string): boolean;
  /** Input values; null while validating (every get_input is then {@link UNKNOWN}). */
  inputs: Mapping | null;
  onError(error: FunctionError): void;
}

const REFS = new Set(['SELF', 'SOURCE', 'TARGET']);

/** Evaluates static functions, with memoisation and cycle detection. */
export class StaticEvaluator {
  readonly #cache = new Map<string, unknown>();
  readonly #stack: string[] = [];
  constructor(private readonly env: FunctionEnvironment) {}

  /** Evaluates every static function in `value`; returns the same object when nothing changed. */
  evaluate(value: unknown, scope: FunctionScope, path: PathSegments): unknown {
    if (!containsFunction(value)) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const evaluated =
          typeof item === 'object' && item !== null
            ? this.evaluate(item, scope, [...path, i])
            : item;
        if (evaluated !== item && out === null) out = value.slice(0, i);
        if (out !== null) out.push(evaluated);
      }
      return out ?? value;
    }
    if (!isMapping(value)) return value;
    if (isFunctionCall(value)) return this.call(value, scope, path);
    let out: Mapping | null = null;
    for (const key in value) {
      const item = value[key];
      const evaluated =
        typeof item === 'object' && item !== null
          ? this.evaluate(item, scope, [...path, key])
          : item;
      if (evaluated !== item && out === null) {
        out = {};
        for (const k in value) {
          if (k === key) break;
          out[k] = value[k];
        }
      }
      if (out !== null) out[key] = evaluated;
    }
    return out ?? value;
  }

  private error(code: FunctionErrorCode, path: PathSegments, message: string): typeof UNKNOWN {
    this.env.onError({ code, path, message });
    return UNKNOWN;
  }

  private call(call: Mapping, scope: FunctionScope, path: PathSegments): unknown {
    const name = functionName(call);
    const args = call[name];
    const at = [...path, name];
    switch (name) {
      case 'get_input': {
        if (typeof args !== 'string')
          return this.error(
            'bad_function',
            at,
            `get_input takes an input name, got ${JSON.stringify(args)}`,
          );
        if (!this.env.hasInput(args))
          return this.error(
            'unknown_input',
            at,
            `get_input: input '${args}' is not declared in the blueprint's inputs`,
          );
        if (this.env.inputs === null) return UNKNOWN;
        return this.env.inputs[args];
      }
      case 'get_property': {
        const ref = this.reference('get_property', args, scope, at);
        if (ref === null) return UNKNOWN;
        return this.property(ref.node, ref.path, at);
      }
      case 'get_attribute':
        this.reference('get_attribute', args, scope, at);
        return call;
      case 'concat': {
        if (!Array.isArray(args))
          return this.error(
            'bad_function',
            at,
            `concat takes a list of values, got ${JSON.stringify(args)}`,
          );
        const parts = args.map((a, i) => this.evaluate(a, scope, [...at, i]));
        if (parts.includes(UNKNOWN)) return UNKNOWN;
        if (parts.some((p) => typeof p === 'object' && p !== null)) {
          if (parts.some(containsRuntimeFunction)) return { concat: parts };
        }
        return parts.map(pyStr).join('');
      }
    }
  }

  /** Validates `[ref, path...]` arguments; returns the node and property path. */
  private reference(
    fn: string,
    args: unknown,
    scope: FunctionScope,
    at: PathSegments,
  ): { node: string; path: (string | number)[] } | null {
    if (!Array.isArray(args) || args.length < 2) {
      this.error(
        'bad_function',
        at,
        `${fn} takes a list [node or SELF/SOURCE/TARGET, name, ...], got ${JSON.stringify(args)}`,
      );
      return null;
    }
    const [ref, ...rest] = args as unknown[];
    if (typeof ref !== 'string') {
      this.error(
        'bad_function',
        at,
        `${fn}: the first argument must be a node name or SELF, SOURCE, TARGET`,
      );
      return null;
    }
    for (const segment of rest) {
      if (
        typeof segment !== 'string' &&
        !(typeof segment === 'number' && Number.isInteger(segment) && segment >= 0)
      ) {
        this.error(
          'bad_function',
          at,
          `${fn}: path elements must be names or list indices, got ${JSON.stringify(segment)}`,
        );
        return null;
      }
    }
    let node: string;
    if (REFS.has(ref)) {
      if (ref === 'SELF' && scope.kind === 'node') node = scope.node;
      else if (ref === 'SOURCE' && scope.kind === 'relationship') node = scope.source;
      else if (ref === 'TARGET' && scope.kind === 'relationship') node = scope.target;
      else {
        const where =
          scope.kind === 'node'
            ? 'a node'
            : scope.kind === 'relationship'
              ? 'a relationship (use SOURCE or TARGET)'
              : 'outputs (use a node name)';
        this.error('bad_function', at, `${fn}: ${ref} cannot be used in ${where}`);
        return null;
      }
    } else if (this.env.nodeProperties(ref) === undefined) {
      this.error('bad_function', at, `${fn}: node template '${ref}' does not exist`);
      return null;
    } else node = ref;
    return { node, path: rest as (string | number)[] };
  }

  /** The evaluated value at `path` in `node`'s properties. */
  property(node: string, path: readonly (string | number)[], at: PathSegments): unknown {
    const key = `${node}\u0000${path.join('\u0000')}`;
    if (this.#cache.has(key)) return this.#cache.get(key);
    if (this.#stack.includes(key)) {
      const chain = [...this.#stack.slice(this.#stack.indexOf(key)), key].map((k) =>
        k.split('\u0000').join('.'),
      );
      return this.error('function_cycle', at, `get_property cycle: ${chain.join(' -> ')}`);
    }
    this.#stack.push(key);
    const scope: FunctionScope = { kind: 'node', node };
    const base: PathSegments = ['node_templates', node, 'properties'];
    let value: unknown = this.env.nodeProperties(node);
    const walked: (string | number)[] = [];
    for (const segment of path) {
      if (isFunctionCall(value)) value = this.evaluate(value, scope, [...base, ...walked]);
      if (value === UNKNOWN) break;
      if (isMapping(value) && typeof segment === 'string' && has(value, segment))
        value = value[segment];
      else if (Array.isArray(value) && typeof segment === 'number' && segment < value.length)
        value = value[segment];
      else {
        value = this.error(
          'property_path_missing',
          at,
          `get_property: node '${node}' has no property ${[...walked, segment].join('.')}`,
        );
        break;
      }
      walked.push(segment);
    }
    if (value !== UNKNOWN && containsFunction(value))
      value = this.evaluate(value, scope, [...base, ...walked]);
    this.#stack.pop();
    this.#cache.set(key, value);
    return value;
  }
}
