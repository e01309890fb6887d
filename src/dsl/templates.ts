/** Node templates: properties against their type, relationships, operations, containment. */
import type { ParseContext, Section } from './context.js';
import {
  ImplementationMapper,
  parseInterfaces,
  resolveOperations,
  toResolved,
} from './interfaces.js';
import { applySchemas } from './properties.js';
import { assignPlugins, resolveContainment } from './hosts.js';
import type {
  ConnectionType,
  DataType,
  InterfacesDecl,
  NodeTemplate,
  NodeType,
  PluginDef,
  RelationshipTemplate,
  RelationshipType,
  ResolvedOperation,
} from './types.js';
import { has, isMapping, type Mapping } from './util.js';
import type { PathSegments } from './diagnostics.js';

const TEMPLATE_KEYS = ['type', 'properties', 'interfaces', 'relationships', 'instances'];
const RELATIONSHIP_KEYS = [
  'type',
  'target',
  'properties',
  'source_interfaces',
  'target_interfaces',
];

export interface TypeTables {
  dataTypes: Record<string, DataType>;
  nodeTypes: Record<string, NodeType>;
  relationshipTypes: Record<string, RelationshipType>;
  plugins: Record<string, PluginDef>;
}

/** Parses and resolves every node template (declaration order). */
export function parseNodeTemplates(ctx: ParseContext, tables: TypeTables): NodeTemplate[] {
  const mapper = new ImplementationMapper(ctx, tables.plugins);
  const templates: NodeTemplate[] = [];
  const defs = ctx.sections.node_templates;
  for (const [id, def] of Object.entries(defs)) {
    if (!ctx.checkKeys('node_templates', id, [], def, TEMPLATE_KEYS)) continue;
    const t = parseTemplate(ctx, tables, mapper, id, def, defs);
    if (t) templates.push(t);
  }
  const unknownHost = resolveContainment(ctx, templates);
  assignPlugins(ctx, templates, tables.plugins, unknownHost);
  return templates;
}

function parseTemplate(
  ctx: ParseContext,
  tables: TypeTables,
  mapper: ImplementationMapper,
  id: string,
  def: Mapping,
  all: Mapping,
): NodeTemplate | null {
  const typeName = def.type;
  if (typeof typeName !== 'string') {
    ctx.report(
      typeName === undefined ? 'missing_required_property' : 'bad_value',
      'node_templates',
      id,
      typeName === undefined ? [] : ['type'],
      `Node template ${id} must have a type`,
    );
    return null;
  }
  const type = tables.nodeTypes[typeName];
  if (!type) {
    ctx.report(
      'unknown_type',
      'node_templates',
      id,
      ['type'],
      `Node template ${id} has unknown type '${typeName}'`,
    );
    return null;
  }
  let values: Mapping = {};
  if (def.properties !== undefined && def.properties !== null) {
    if (isMapping(def.properties)) values = def.properties;
    else
      ctx.report(
        'not_a_mapping',
        'node_templates',
        id,
        ['properties'],
        `node_templates.${id}.properties must be a mapping`,
      );
  }
  const properties = applySchemas(
    ctx,
    type.properties,
    values,
    { section: 'node_templates', name: id, rest: ['properties'], label: `Node template ${id}` },
    tables.dataTypes,
  );
  const templateIfaces = parseInterfaces(
    ctx,
    { section: 'node_templates', name: id, rest: ['interfaces'], level: 'template' },
    def.interfaces,
  );
  const operations = buildOperations(
    ctx,
    mapper,
    tables.plugins,
    id,
    ['interfaces'],
    type.interfaces,
    templateIfaces,
  );
  return {
    id,
    type: typeName,
    typeHierarchy: type.hierarchy,
    properties,
    operations,
    relationships: parseRelationships(ctx, tables, mapper, id, def.relationships, all),
    deployInstances: parseInstances(ctx, id, def.instances),
    containedIn: null,
    hostId: null,
    plugins: [],
  };
}

/**
 * Operations of templates that override nothing are the type's, resolved once and shared
 * (the blueprint and the model are read-only data). Keyed by the type's interfaces object.
 */
const typeOperations = new WeakMap<InterfacesDecl, Record<string, ResolvedOperation>>();

function buildOperations(
  ctx: ParseContext,
  mapper: ImplementationMapper,
  plugins: Record<string, PluginDef>,
  id: string,
  rest: PathSegments,
  typeIfaces: InterfacesDecl,
  templateIfaces: InterfacesDecl,
): Record<string, ResolvedOperation> {
  const plain = Object.keys(templateIfaces).length === 0;
  const cached = plain ? typeOperations.get(typeIfaces) : undefined;
  if (cached) return cached;
  let cacheable = plain;
  const out: Record<string, ResolvedOperation> = {};
  const merged = resolveOperations(typeIfaces, templateIfaces, (iface, op, input) => {
    cacheable = false;
    ctx.report(
      'operation_input_missing',
      'node_templates',
      id,
      [...rest, iface, op],
      `Node template ${id}: operation ${iface}.${op} needs a value for input '${input}' (it has no default)`,
    );
  });
  for (const [name, { decl, fromTemplate, inputs }] of Object.entries(merged)) {
    const dot = name.lastIndexOf('.');
    const site = decl.site;
    const mapped = mapper.map(decl.implementation, (code, message) => {
      if (fromTemplate || !site)
        ctx.report(
          code,
          'node_templates',
          id,
          [...rest, name.slice(0, dot), name.slice(dot + 1)],
          `Node template ${id}, operation ${name}: ${message}`,
        );
      else
        ctx.report(
          code,
          site.section as Section,
          site.name,
          site.rest,
          `${site.name}, operation ${name}: ${message}`,
        );
    });
    out[name] = toResolved(name, decl, mapped, inputs, plugins);
  }
  if (cacheable) typeOperations.set(typeIfaces, out);
  return out;
}

function parseRelationships(
  ctx: ParseContext,
  tables: TypeTables,
  mapper: ImplementationMapper,
  id: string,
  value: unknown,
  all: Mapping,
): RelationshipTemplate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.report(
      'bad_value',
      'node_templates',
      id,
      ['relationships'],
      `node_templates.${id}.relationships must be a list`,
    );
    return [];
  }
  const out: RelationshipTemplate[] = [];
  value.forEach((rel: unknown, index) => {
    const rest = ['relationships', index];
    if (!ctx.checkKeys('node_templates', id, rest, rel, RELATIONSHIP_KEYS)) return;
    const { type: typeName, target } = rel;
    if (typeof typeName !== 'string' || typeof target !== 'string') {
      ctx.report(
        'relationship_missing_field',
        'node_templates',
        id,
        rest,
        `Node template ${id}: relationship ${index} needs both a type and a target`,
      );
      return;
    }
    const type = tables.relationshipTypes[typeName];
    if (!type)
      ctx.report(
        'unknown_type',
        'node_templates',
        id,
        [...rest, 'type'],
        `Node template ${id}: unknown relationship type '${typeName}'`,
      );
    if (!has(all, target)) {
      ctx.report(
        'relationship_target_missing',
        'node_templates',
        id,
        [...rest, 'target'],
        `Node template ${id}: relationship target '${target}' is not a node template`,
      );
    }
    if (!type) return;
    const values = isMapping(rel.properties) ? rel.properties : {};
    const properties = applySchemas(
      ctx,
      type.properties,
      values,
      {
        section: 'node_templates',
        name: id,
        rest: [...rest, 'properties'],
        label: `Node template ${id} relationship ${index}`,
      },
      tables.dataTypes,
    );
    const connection = properties.connection_type;
    let connectionType: ConnectionType = 'all_to_all';
    if (connection === 'all_to_one' || connection === 'all_to_all') connectionType = connection;
    else
      ctx.report(
        'bad_connection_type',
        'node_templates',
        id,
        [...rest, 'properties', 'connection_type'],
        `Node template ${id}: connection_type must be all_to_all or all_to_one, got ${JSON.stringify(connection)}`,
      );
    const ifaceSite = (side: string) => ({
      section: 'node_templates' as const,
      name: id,
      rest: [...rest, side],
      level: 'template' as const,
    });
    out.push({
      type: typeName,
      typeHierarchy: [...type.hierarchy].reverse(),
      target,
      properties,
      sourceOperations: buildOperations(
        ctx,
        mapper,
        tables.plugins,
        id,
        [...rest, 'source_interfaces'],
        type.sourceInterfaces,
        parseInterfaces(ctx, ifaceSite('source_interfaces'), rel.source_interfaces),
      ),
      targetOperations: buildOperations(
        ctx,
        mapper,
        tables.plugins,
        id,
        [...rest, 'target_interfaces'],
        type.targetInterfaces,
        parseInterfaces(ctx, ifaceSite('target_interfaces'), rel.target_interfaces),
      ),
      connectionType,
    });
  });
  return out;
}

function parseInstances(ctx: ParseContext, id: string, value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (!ctx.checkKeys('node_templates', id, ['instances'], value, ['deploy'])) return 1;
  const deploy = value.deploy;
  if (deploy === undefined) return 1;
  if (typeof deploy === 'number' && Number.isInteger(deploy) && deploy >= 0) return deploy;
  ctx.report(
    'bad_instances',
    'node_templates',
    id,
    ['instances', 'deploy'],
    `Node template ${id}: instances.deploy must be a non-negative integer, got ${JSON.stringify(deploy)}`,
  );
  return 1;
}
