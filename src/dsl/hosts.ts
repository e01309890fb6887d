/** Containment, hosts and the plugins each node needs (with the host_agent check). */
import type { ParseContext } from './context.js';
import type { PathSegments } from './diagnostics.js';
import type { NodeTemplate, PluginDef, ResolvedOperation } from './types.js';
import { has, isMapping } from './util.js';

const CONTAINED_IN = 'cloudify.relationships.contained_in';
const COMPUTE = 'cloudify.nodes.Compute';

/** Sets containedIn and hostId; returns nodes whose host is unknown (contained in a template that failed). */
export function resolveContainment(ctx: ParseContext, templates: NodeTemplate[]): Set<string> {
  const byId = new Map(templates.map((t) => [t.id, t]));
  const unknownHost = new Set<string>();
  for (const t of templates) {
    const contained = t.relationships.filter((r) => r.typeHierarchy.includes(CONTAINED_IN));
    if (contained.length > 1) {
      const index = t.relationships.indexOf(contained[1]!);
      ctx.report(
        'multiple_contained_in',
        'node_templates',
        t.id,
        ['relationships', index],
        `Node template ${t.id} has ${contained.length} contained_in relationships; a node can be contained in one node only`,
      );
    }
    const first = contained[0];
    if (first && byId.has(first.target)) t.containedIn = first.target;
    else if (first && has(ctx.sections.node_templates, first.target)) unknownHost.add(t.id);
  }
  const hosts = new Map<string, string | null>();
  const hostOf = (t: NodeTemplate, seen: Set<string>): string | null => {
    if (hosts.has(t.id)) return hosts.get(t.id)!;
    let host: string | null = null;
    if (t.typeHierarchy.includes(COMPUTE)) host = t.id;
    else if (t.containedIn !== null) {
      if (seen.has(t.id)) {
        ctx.report(
          'contained_in_cycle',
          'node_templates',
          t.id,
          ['relationships'],
          `Node template ${t.id} is (transitively) contained in itself`,
        );
        t.containedIn = null;
      } else {
        seen.add(t.id);
        host = hostOf(byId.get(t.containedIn)!, seen);
        if (unknownHost.has(t.containedIn)) unknownHost.add(t.id);
      }
    }
    hosts.set(t.id, host);
    return host;
  };
  for (const t of templates) t.hostId = hostOf(t, new Set());
  return unknownHost;
}

/** Plugins used by an operations record and its host_agent operations (records are shared per type). */
const summaries = new WeakMap<
  Record<string, ResolvedOperation>,
  { plugins: string[]; hostAgent: ResolvedOperation[] }
>();

function summarize(ops: Record<string, ResolvedOperation>): {
  plugins: string[];
  hostAgent: ResolvedOperation[];
} {
  let summary = summaries.get(ops);
  if (!summary) {
    const plugins = new Set<string>();
    const hostAgent: ResolvedOperation[] = [];
    for (const name in ops) {
      const op = ops[name]!;
      if (op.plugin === null) continue;
      plugins.add(op.plugin);
      if (op.executor === 'host_agent') hostAgent.push(op);
    }
    summary = { plugins: [...plugins], hostAgent };
    summaries.set(ops, summary);
  }
  return summary;
}

export function assignPlugins(
  ctx: ParseContext,
  templates: NodeTemplate[],
  plugins: Record<string, PluginDef>,
  unknownHost: Set<string>,
): void {
  const byId = new Map(templates.map((t) => [t.id, t]));
  const sets = new Map(templates.map((t) => [t.id, new Set<string>()]));
  const raw = ctx.sections.node_templates;
  /** The operation's own place in the template when the template declares it, else `where`. */
  const placeOf = (site: NodeTemplate, where: PathSegments, op: string): PathSegments => {
    const dot = op.lastIndexOf('.');
    const fallback = where[0] === 'type' ? where : where.slice(0, 2);
    const path = [
      ...(where[0] === 'type' ? ['interfaces'] : where),
      op.slice(0, dot),
      op.slice(dot + 1),
    ];
    let value: unknown = raw[site.id];
    for (const segment of path) {
      if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
      else if (isMapping(value) && typeof segment === 'string') value = value[segment];
      else return fallback;
      if (value === undefined) return fallback;
    }
    return path;
  };
  const use = (
    node: NodeTemplate,
    ops: Record<string, ResolvedOperation>,
    site: NodeTemplate,
    where: PathSegments,
  ): void => {
    const summary = summarize(ops);
    const set = sets.get(node.id)!;
    for (const plugin of summary.plugins) set.add(plugin);
    if (node.hostId !== null || unknownHost.has(node.id)) return;
    for (const op of summary.hostAgent) {
      ctx.report(
        'host_agent_without_host',
        'node_templates',
        site.id,
        placeOf(site, where, op.name),
        `Node template ${node.id}: operation ${op.name} runs on the host agent (plugin ${op.plugin}) but ${node.id} is not contained in a Compute node; set executor: central_deployment_agent or add a contained_in relationship`,
      );
    }
  };
  for (const t of templates) {
    use(t, t.operations, t, ['type']);
    t.relationships.forEach((r, i) => {
      use(t, r.sourceOperations, t, ['relationships', i, 'source_interfaces']);
      const target = byId.get(r.target);
      if (target) use(target, r.targetOperations, t, ['relationships', i, 'target_interfaces']);
    });
  }
  for (const t of templates) t.plugins = [...sets.get(t.id)!].filter((p) => has(plugins, p));
}
