/**
 * Run-time evaluation of operation inputs: `get_attribute` (and `concat` around it) resolved
 * with src/plan's `evaluateRuntimeFunctions` against the instances' runtime properties, read
 * from the instance store when the operation is about to run.
 */
import type { InputResolver, InstanceStorePort, OperationTaskSpec } from '../engine/index.js';
import { evaluateRuntimeFunctions, type RuntimeContext } from '../plan/index.js';
import type { ModelIndex } from './model-index.js';

const runtimeFunctions = new Set(['get_attribute', 'concat']);
const hasFunctionsCache = new WeakMap<object, boolean>();

/** True when `value` holds a runtime function anywhere (cached per object). */
export function hasRuntimeFunctions(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const cached = hasFunctionsCache.get(value);
  if (cached !== undefined) return cached;
  let found: boolean;
  if (Array.isArray(value)) found = value.some(hasRuntimeFunctions);
  else {
    const keys = Object.keys(value);
    found = (keys.length === 1 && runtimeFunctions.has(keys[0]!)) || Object.values(value).some(hasRuntimeFunctions);
  }
  hasFunctionsCache.set(value, found);
  return found;
}

/**
 * Builds the engine's input resolver. Inputs without runtime functions are returned as they
 * are (no store reads). Otherwise a first, dry evaluation records which instances are read,
 * their runtime properties are fetched from the store, and the second evaluation uses them:
 * the evaluator is synchronous and pure, the store is async.
 */
export function createInputResolver(current: ModelIndex | (() => ModelIndex), instances: InstanceStorePort): InputResolver {
  return (spec) => {
    const merged = spec.kwargs === undefined ? spec.operation.inputs : { ...spec.operation.inputs, ...spec.kwargs };
    if (!hasRuntimeFunctions(spec.operation.inputs) && (spec.kwargs === undefined || !hasRuntimeFunctions(spec.kwargs))) return merged;
    return evaluateInputs(merged, spec, typeof current === 'function' ? current() : current, instances);
  };
}

async function evaluateInputs(merged: Record<string, unknown>, spec: OperationTaskSpec, index: ModelIndex, instances: InstanceStorePort): Promise<Record<string, unknown>> {
  const wanted = new Set<string>();
  evaluateRuntimeFunctions(merged, context(index, spec, (id) => (wanted.add(id), undefined)));
  const fetched = new Map<string, Record<string, unknown>>();
  await Promise.all([...wanted].map(async (id) => fetched.set(id, (await instances.get(id)).runtimeProperties)));
  return evaluateRuntimeFunctions(merged, context(index, spec, (id) => fetched.get(id))) as Record<string, unknown>;
}

function context(index: ModelIndex, spec: OperationTaskSpec, lookup: RuntimeContext['lookup']): RuntimeContext {
  const rel = spec.relationship;
  const base = { model: index.model, graph: index.graph, lookup };
  return rel === null ? { ...base, self: spec.nodeInstanceId } : { ...base, source: rel.sourceNodeInstanceId, target: rel.targetNodeInstanceId };
}
