/** Sections that reference the rest: inputs, outputs, workflows, groups, policies. */
import type { ParseContext } from './context.js';
import { parseSchemas } from './properties.js';
import type {
  GroupDef,
  GroupPolicyDef,
  InputDef,
  OutputDef,
  PluginDef,
  PolicyDef,
  PolicyTriggerDef,
  PolicyTypeDef,
  WorkflowDef,
} from './types.js';
import { cloneData, has, isMapping, type Mapping } from './util.js';

/** Parses `inputs`. */
export function parseInputs(ctx: ParseContext): Record<string, InputDef> {
  const out: Record<string, InputDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.inputs)) {
    if (def === null) {
      out[name] = { hasDefault: false };
      continue;
    }
    if (!ctx.checkKeys('inputs', name, [], def, ['description', 'type', 'default'])) continue;
    const input: InputDef = { hasDefault: has(def, 'default') };
    if (typeof def.description === 'string') input.description = def.description;
    if (def.type !== undefined) {
      if (
        typeof def.type === 'string' &&
        ['string', 'integer', 'float', 'boolean'].includes(def.type)
      )
        input.type = def.type;
      else
        ctx.report(
          'unknown_type',
          'inputs',
          name,
          ['type'],
          `Input ${name}: type must be string, integer, float or boolean, got ${JSON.stringify(def.type)}`,
        );
    }
    if (input.hasDefault) input.default = def.default;
    out[name] = input;
  }
  return out;
}

/** Parses `outputs`. */
export function parseOutputs(ctx: ParseContext): Record<string, OutputDef> {
  const out: Record<string, OutputDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.outputs)) {
    if (!ctx.checkKeys('outputs', name, [], def, ['description', 'value'])) continue;
    if (!has(def, 'value'))
      ctx.report('missing_required_property', 'outputs', name, [], `Output ${name} needs a value`);
    const output: OutputDef = { value: def.value ?? null };
    if (typeof def.description === 'string') output.description = def.description;
    out[name] = output;
  }
  return out;
}

/** Parses `workflows` (string mapping or { mapping, parameters }). */
export function parseWorkflows(
  ctx: ParseContext,
  plugins: Record<string, PluginDef>,
): Record<string, WorkflowDef> {
  const out: Record<string, WorkflowDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.workflows)) {
    let mapping: unknown = def;
    let parameters: WorkflowDef['parameters'] = {};
    if (isMapping(def)) {
      if (!ctx.checkKeys('workflows', name, [], def, ['mapping', 'parameters'])) continue;
      mapping = def.mapping;
      const schemas = parseSchemas(ctx, 'workflows', name, ['parameters'], def.parameters);
      parameters = Object.fromEntries(
        Object.entries(schemas).map(([p, s]) => {
          const spec: WorkflowDef['parameters'][string] = {};
          if (s.description !== undefined) spec.description = s.description;
          if (s.type !== undefined) spec.type = s.type;
          if (s.hasDefault) spec.default = cloneData(s.default);
          return [p, spec];
        }),
      );
    }
    const at = isMapping(def) ? ['mapping'] : [];
    if (typeof mapping !== 'string' || !mapping.includes('.')) {
      ctx.report(
        'bad_value',
        'workflows',
        name,
        at,
        `Workflow ${name}: mapping must be '<plugin>.<module>.<function>'`,
      );
      continue;
    }
    const plugin = mapping.slice(0, mapping.indexOf('.'));
    if (!has(plugins, plugin)) {
      ctx.report(
        'undeclared_plugin',
        'workflows',
        name,
        at,
        `Workflow ${name} maps to plugin '${plugin}', which is not declared (declared: ${Object.keys(plugins).join(', ') || 'none'})`,
      );
    }
    out[name] = { name, mapping, plugin, operation: mapping.slice(plugin.length + 1), parameters };
  }
  return out;
}

/** Parses `groups` (3.3 group policies and triggers). */
export function parseGroups(
  ctx: ParseContext,
  nodeIds: Set<string>,
  policyTypes: Record<string, PolicyTypeDef>,
  triggers: Record<string, PolicyTriggerDef>,
): Record<string, GroupDef> {
  const out: Record<string, GroupDef> = {};
  const groups = ctx.sections.groups;
  for (const [name, def] of Object.entries(groups)) {
    if (!ctx.checkKeys('groups', name, [], def, ['members', 'policies'])) continue;
    const members: string[] = [];
    if (!Array.isArray(def.members) || def.members.length === 0) {
      ctx.report(
        'bad_value',
        'groups',
        name,
        ['members'],
        `Group ${name}: members must be a non-empty list of node template names`,
      );
    } else {
      def.members.forEach((m: unknown, i) => {
        if (typeof m === 'string' && (nodeIds.has(m) || (has(groups, m) && m !== name)))
          members.push(m);
        else
          ctx.report(
            'group_member_missing',
            'groups',
            name,
            ['members', i],
            `Group ${name}: member ${JSON.stringify(m)} is not a node template`,
          );
      });
    }
    const policies: Record<string, GroupPolicyDef> = {};
    const policyDefs: Mapping = isMapping(def.policies) ? def.policies : {};
    for (const [policyName, policy] of Object.entries(policyDefs)) {
      const rest = ['policies', policyName];
      if (!ctx.checkKeys('groups', name, rest, policy, ['type', 'properties', 'triggers']))
        continue;
      const type = typeof policy.type === 'string' ? policy.type : '';
      const policyType = policyTypes[type];
      if (!policyType)
        ctx.report(
          'unknown_type',
          'groups',
          name,
          [...rest, 'type'],
          `Group ${name}: unknown policy type '${type}' (known: ${Object.keys(policyTypes).join(', ') || 'none'})`,
        );
      const properties = withDefaults(policyType?.properties, policy.properties);
      const parsedTriggers: GroupPolicyDef['triggers'] = {};
      for (const [triggerName, trigger] of Object.entries(
        isMapping(policy.triggers) ? policy.triggers : {},
      )) {
        const tRest = [...rest, 'triggers', triggerName];
        if (!ctx.checkKeys('groups', name, tRest, trigger, ['type', 'parameters'])) continue;
        const tType = typeof trigger.type === 'string' ? trigger.type : '';
        const triggerDef = triggers[tType];
        if (!triggerDef)
          ctx.report(
            'unknown_type',
            'groups',
            name,
            [...tRest, 'type'],
            `Group ${name}: unknown policy trigger type '${tType}'`,
          );
        parsedTriggers[triggerName] = {
          type: tType,
          parameters: withDefaults(triggerDef?.parameters, trigger.parameters),
        };
      }
      policies[policyName] = { type, properties, triggers: parsedTriggers };
    }
    out[name] = { members, policies };
  }
  return out;
}

/** Built-in top-level policy types (cloudify_dsl_1_3). */
const BUILTIN_POLICY_TYPES = new Set(['cloudify.policies.scaling']);

/** Parses top-level `policies` (cloudify_dsl_1_3). */
export function parsePolicies(
  ctx: ParseContext,
  groups: Record<string, GroupDef>,
  policyTypes: Record<string, PolicyTypeDef>,
): Record<string, PolicyDef> {
  const out: Record<string, PolicyDef> = {};
  for (const [name, def] of Object.entries(ctx.sections.policies)) {
    if (!ctx.checkKeys('policies', name, [], def, ['type', 'targets', 'properties'])) continue;
    const type = typeof def.type === 'string' ? def.type : '';
    if (!BUILTIN_POLICY_TYPES.has(type) && !has(policyTypes, type))
      ctx.report(
        'unknown_type',
        'policies',
        name,
        ['type'],
        `Policy ${name}: unknown policy type '${type}'`,
      );
    const targets: string[] = [];
    if (!Array.isArray(def.targets))
      ctx.report(
        'bad_value',
        'policies',
        name,
        ['targets'],
        `Policy ${name}: targets must be a list of group names`,
      );
    else
      def.targets.forEach((t: unknown, i) => {
        if (typeof t === 'string' && has(groups, t)) targets.push(t);
        else
          ctx.report(
            'group_member_missing',
            'policies',
            name,
            ['targets', i],
            `Policy ${name}: target ${JSON.stringify(t)} is not a group`,
          );
      });
    out[name] = {
      type,
      targets,
      properties: withDefaults(policyTypes[type]?.properties, def.properties),
    };
  }
  return out;
}

function withDefaults(
  schemas: Record<string, { hasDefault: boolean; default?: unknown }> | undefined,
  values: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schemas ?? {}))
    if (s.hasDefault) out[k] = cloneData(s.default);
  if (isMapping(values)) Object.assign(out, values);
  return out;
}
