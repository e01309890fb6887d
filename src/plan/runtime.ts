/** Runtime functions: `get_attribute` (and `concat` around it), evaluated against live instances. */
import { UserError } from '../core/index.js';
import { functionName, isFunctionCall, isMapping, pyStr, type Mapping } from '../dsl/index.js';
import { DeploymentGraph } from './graph.js';
import type { DeploymentModel, NodeInstanceModel } from './model.js';

/** Runtime properties of a node instance, or undefined when it has none (yet). */
export type RuntimePropertiesLookup = (
  instanceId: string,
) => Readonly<Record<string, unknown>> | undefined;

export interface RuntimeContext {
  model: DeploymentModel;
  lookup: RuntimePropertiesLookup;
  /** The current instances (after scaling). @default model.nodeInstances */
  instances?: readonly NodeInstanceModel[];
  /** A prebuilt graph over `instances` (saves rebuilding it per call). */
  graph?: DeploymentGraph;
  /** Instance id SELF means (node operations). */
  self?: string;
  /** Instance ids SOURCE / TARGET mean (relationship operations). */
  source?: string;
  target?: string;
}

function runtimeError(message: string): UserError {
  return new UserError('function_evaluation_error', message);
}

/**
 * Evaluates `get_attribute` and `concat` in `value`: an attribute is the instance's runtime
 * property if set, else the node's property of that name, else null (as Cloudify).
 */
export function evaluateRuntimeFunctions(value: unknown, ctx: RuntimeContext): unknown {
  const graph =
    ctx.graph ?? new DeploymentGraph(ctx.model, ctx.instances ?? ctx.model.nodeInstances);
  const full = { ...ctx, graph };
  return walk(value, full);
}

function walk(value: unknown, ctx: RuntimeContext & { graph: DeploymentGraph }): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, ctx));
  if (!isMapping(value)) return value;
  if (isFunctionCall(value)) {
    const name = functionName(value);
    const args = value[name];
    if (name === 'concat' && Array.isArray(args))
      return args.map((a) => pyStr(walk(a, ctx))).join('');
    if (name === 'get_attribute' && Array.isArray(args)) return attribute(args, ctx);
    return value;
  }
  const out: Mapping = {};
  for (const key in value) out[key] = walk(value[key], ctx);
  return out;
}

function attribute(args: unknown[], ctx: RuntimeContext & { graph: DeploymentGraph }): unknown {
  const [ref, attr, ...path] = args as [string, string, ...(string | number)[]];
  const instance = resolveInstance(ref, ctx);
  const runtime = ctx.lookup(instance.id);
  let current: unknown;
  if (runtime && Object.prototype.hasOwnProperty.call(runtime, attr)) current = runtime[attr];
  else {
    const node = ctx.graph.nodes.get(instance.nodeId);
    current =
      node && Object.prototype.hasOwnProperty.call(node.properties, attr)
        ? node.properties[attr]
        : null;
  }
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment] ?? null;
    else if (isMapping(current) && typeof segment === 'string') current = current[segment] ?? null;
    else return null;
  }
  return current;
}

function resolveInstance(
  ref: string,
  ctx: RuntimeContext & { graph: DeploymentGraph },
): NodeInstanceModel {
  const pick = (id: string | undefined, label: string): NodeInstanceModel => {
    const found = id === undefined ? undefined : ctx.graph.instances.get(id);
    if (!found) throw runtimeError(`get_attribute: ${label} is not available in this context`);
    return found;
  };
  if (ref === 'SELF') return pick(ctx.self, 'SELF');
  if (ref === 'SOURCE') return pick(ctx.source, 'SOURCE');
  if (ref === 'TARGET') return pick(ctx.target, 'TARGET');
  const candidates = ctx.graph.instancesOf(ref);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw runtimeError(`get_attribute: node '${ref}' has no instances`);
  // Several instances: prefer one the current instance is related to, then one on the same host.
  const from = ctx.graph.instances.get(ctx.self ?? ctx.source ?? '');
  if (from) {
    const related = candidates.filter((c) => from.relationships.some((r) => r.targetId === c.id));
    if (related.length === 1) return related[0]!;
    const sameHost = candidates.filter((c) => c.hostId !== null && c.hostId === from.hostId);
    if (sameHost.length === 1) return sameHost[0]!;
  }
  throw runtimeError(
    `get_attribute: node '${ref}' has ${candidates.length} instances; cannot decide which one to use`,
  );
}

/** Evaluates every output (`cfy deployments outputs`). */
export function evaluateOutputs(
  model: DeploymentModel,
  lookup: RuntimePropertiesLookup,
  instances?: readonly NodeInstanceModel[],
): Record<string, unknown> {
  const graph = new DeploymentGraph(model, instances ?? model.nodeInstances);
  const out: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(model.outputs))
    out[name] = evaluateRuntimeFunctions(output.value, { model, lookup, graph });
  return out;
}
