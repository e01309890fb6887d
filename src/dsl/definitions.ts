/** Type-level sections: plugins, data types, node types, relationship types, policy types. */
import type { ParseContext } from './context.js';
import { resolveHierarchies } from './hierarchy.js';
import { mergeTypeInterfaces, parseInterfaces } from './interfaces.js';
import { checkSchemaTypes, parseSchemas } from './properties.js';
import type {
  DataType,
  Executor,
  NodeType,
  PluginDef,
  PolicyTriggerDef,
  PolicyTypeDef,
  PropertySchema,
  RelationshipType,
} from './types.js';
import { FEATURE_VERSIONS } from './versions.js';

const PLUGIN_KEYS = ['executor', 'source'] as const;
const EXECUTORS = new Set(['central_deployment_agent', 'host_agent']);

/** Parses `plugins`. */
export function parsePlugins(ctx: ParseContext): Record<string, PluginDef> {
  const out: Record<string, PluginDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.plugins)) {
    if (
      !ctx.checkKeys('plugins', name, [], def, [...PLUGIN_KEYS, 'install'], FEATURE_VERSIONS.plugin)
    )
      continue;
    let executor: Executor = 'central_deployment_agent';
    if (typeof def.executor === 'string' && EXECUTORS.has(def.executor))
      executor = def.executor as Executor;
    else
      ctx.report(
        'bad_executor',
        'plugins',
        name,
        ['executor'],
        `Plugin ${name}: executor must be central_deployment_agent or host_agent, got ${JSON.stringify(def.executor ?? null)}`,
      );
    const str = (key: string): string | null => {
      const v = def[key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      ctx.report('bad_value', 'plugins', name, [key], `Plugin ${name}: ${key} must be a string`);
      return null;
    };
    const install = def.install === undefined ? true : def.install;
    if (typeof install !== 'boolean')
      ctx.report(
        'bad_value',
        'plugins',
        name,
        ['install'],
        `Plugin ${name}: install must be true or false`,
      );
    out[name] = {
      name,
      executor,
      source: str('source'),
      install: install !== false,
      installArguments: str('install_arguments'),
      packageName: str('package_name'),
      packageVersion: str('package_version'),
    };
  }
  return out;
}

/** Merges property schemas along a chain (root first; later entries override). */
function mergeChain<T>(
  chain: string[],
  own: Map<string, T>,
  pick: (t: T) => Record<string, PropertySchema>,
): Record<string, PropertySchema> {
  const out: Record<string, PropertySchema> = {};
  for (const name of chain) {
    const def = own.get(name);
    if (def) Object.assign(out, pick(def));
  }
  return out;
}

/** Parses `data_types`. */
export function parseDataTypes(ctx: ParseContext): Record<string, DataType> {
  const chains = resolveHierarchies(ctx, 'data_types', 'data type');
  const own = new Map<string, Record<string, PropertySchema>>();
  for (const [name, def] of Object.entries(ctx.sections.data_types)) {
    if (!ctx.checkKeys('data_types', name, [], def, ['derived_from', 'properties', 'description']))
      continue;
    own.set(name, parseSchemas(ctx, 'data_types', name, ['properties'], def.properties));
  }
  const out: Record<string, DataType> = {};
  for (const [name, chain] of chains)
    out[name] = { name, hierarchy: chain, properties: mergeChain(chain, own, (p) => p) };
  for (const [name, props] of own)
    checkSchemaTypes(ctx, 'data_types', name, ['properties'], props, out);
  return out;
}

/** Parses `node_types`. */
export function parseNodeTypes(
  ctx: ParseContext,
  dataTypes: Record<string, DataType>,
): Record<string, NodeType> {
  const chains = resolveHierarchies(ctx, 'node_types', 'node type');
  const own = new Map<
    string,
    { properties: Record<string, PropertySchema>; interfaces: NodeType['interfaces'] }
  >();
  for (const [name, def] of Object.entries(ctx.sections.node_types)) {
    if (
      !ctx.checkKeys('node_types', name, [], def, [
        'derived_from',
        'properties',
        'interfaces',
        'description',
      ])
    )
      continue;
    const properties = parseSchemas(ctx, 'node_types', name, ['properties'], def.properties);
    checkSchemaTypes(ctx, 'node_types', name, ['properties'], properties, dataTypes);
    own.set(name, {
      properties,
      interfaces: parseInterfaces(
        ctx,
        { section: 'node_types', name, rest: ['interfaces'], level: 'type' },
        def.interfaces,
      ),
    });
  }
  const out: Record<string, NodeType> = {};
  for (const [name, chain] of chains) {
    let interfaces = {};
    for (const t of chain)
      interfaces = mergeTypeInterfaces(interfaces, own.get(t)?.interfaces ?? {});
    out[name] = {
      name,
      hierarchy: chain,
      properties: mergeChain(chain, own, (d) => d.properties),
      interfaces,
    };
  }
  return out;
}

/** Parses `relationships` (relationship types). */
export function parseRelationshipTypes(
  ctx: ParseContext,
  dataTypes: Record<string, DataType>,
): Record<string, RelationshipType> {
  const chains = resolveHierarchies(ctx, 'relationships', 'relationship type');
  type Own = {
    properties: Record<string, PropertySchema>;
    source: RelationshipType['sourceInterfaces'];
    target: RelationshipType['targetInterfaces'];
  };
  const own = new Map<string, Own>();
  for (const [name, def] of Object.entries(ctx.sections.relationships)) {
    if (
      !ctx.checkKeys('relationships', name, [], def, [
        'derived_from',
        'properties',
        'source_interfaces',
        'target_interfaces',
        'description',
      ])
    )
      continue;
    const properties = parseSchemas(ctx, 'relationships', name, ['properties'], def.properties);
    checkSchemaTypes(ctx, 'relationships', name, ['properties'], properties, dataTypes);
    own.set(name, {
      properties,
      source: parseInterfaces(
        ctx,
        { section: 'relationships', name, rest: ['source_interfaces'], level: 'type' },
        def.source_interfaces,
      ),
      target: parseInterfaces(
        ctx,
        { section: 'relationships', name, rest: ['target_interfaces'], level: 'type' },
        def.target_interfaces,
      ),
    });
  }
  const out: Record<string, RelationshipType> = {};
  for (const [name, chain] of chains) {
    let source = {};
    let target = {};
    for (const t of chain) {
      source = mergeTypeInterfaces(source, own.get(t)?.source ?? {});
      target = mergeTypeInterfaces(target, own.get(t)?.target ?? {});
    }
    const properties = mergeChain(chain, own, (d) => d.properties);
    if (!properties.connection_type)
      properties.connection_type = { hasDefault: true, default: 'all_to_all', required: false };
    out[name] = {
      name,
      hierarchy: chain,
      properties,
      sourceInterfaces: source,
      targetInterfaces: target,
    };
  }
  return out;
}

/** Parses `policy_types` and `policy_triggers`. */
export function parsePolicyDefinitions(ctx: ParseContext): {
  policyTypes: Record<string, PolicyTypeDef>;
  policyTriggers: Record<string, PolicyTriggerDef>;
} {
  const policyTypes: Record<string, PolicyTypeDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.policy_types)) {
    if (!ctx.checkKeys('policy_types', name, [], def, ['properties', 'source', 'description']))
      continue;
    policyTypes[name] = {
      properties: parseSchemas(ctx, 'policy_types', name, ['properties'], def.properties),
      source: typeof def.source === 'string' ? def.source : null,
    };
  }
  const policyTriggers: Record<string, PolicyTriggerDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.policy_triggers)) {
    if (!ctx.checkKeys('policy_triggers', name, [], def, ['parameters', 'source', 'description']))
      continue;
    policyTriggers[name] = {
      parameters: parseSchemas(ctx, 'policy_triggers', name, ['parameters'], def.parameters),
      source: typeof def.source === 'string' ? def.source : null,
    };
  }
  return { policyTypes, policyTriggers };
}
