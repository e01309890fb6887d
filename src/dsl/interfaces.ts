/** Interfaces and operations: short/long forms, type/template merging, plugin mapping. */
import { posix as path } from 'node:path';
import type { ParseContext, Section } from './context.js';
import type { PathSegments } from './diagnostics.js';
import type {
  Executor,
  InterfacesDecl,
  OperationDecl,
  PluginDef,
  ResolvedOperation,
} from './types.js';
import { FEATURE_VERSIONS } from './versions.js';
import { cloneData, has, isMapping, type Mapping } from './util.js';

const OPERATION_KEYS = ['implementation', 'inputs', 'executor'];
const EXECUTORS = new Set<Executor>(['central_deployment_agent', 'host_agent']);

/** Where an interfaces mapping sits. `level` says whether inputs are schemas or values. */
export interface InterfacesSite {
  section: Section;
  name: string;
  rest: PathSegments;
  level: 'type' | 'template';
}

/** Parses an `interfaces:` (or source/target_interfaces) mapping. */
export function parseInterfaces(
  ctx: ParseContext,
  site: InterfacesSite,
  value: unknown,
): InterfacesDecl {
  const out: InterfacesDecl = {};
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) {
    ctx.report(
      'not_a_mapping',
      site.section,
      site.name,
      site.rest,
      `${[site.section, site.name, ...site.rest].join('.')} must be a mapping of interfaces`,
    );
    return out;
  }
  for (const [iface, ops] of Object.entries(value)) {
    const decl: Record<string, OperationDecl> = {};
    out[iface] = decl;
    if (ops === null || ops === undefined) continue;
    if (!isMapping(ops)) {
      ctx.report(
        'not_a_mapping',
        site.section,
        site.name,
        [...site.rest, iface],
        `Interface ${iface} must be a mapping of operations`,
      );
      continue;
    }
    for (const [op, opValue] of Object.entries(ops)) {
      const parsed = parseOperation(ctx, site, [...site.rest, iface, op], opValue);
      if (parsed) decl[op] = parsed;
    }
  }
  return out;
}

function parseOperation(
  ctx: ParseContext,
  site: InterfacesSite,
  rest: PathSegments,
  value: unknown,
): OperationDecl | null {
  const empty: OperationDecl = {
    implementation: '',
    inputs: {},
    executor: null,
    maxRetries: null,
    retryInterval: null,
    site: { section: site.section, name: site.name, rest: [...rest] },
  };
  if (value === null || value === undefined) return empty;
  if (typeof value === 'string') return { ...empty, implementation: value };
  if (
    !ctx.checkKeys(site.section, site.name, rest, value, OPERATION_KEYS, FEATURE_VERSIONS.operation)
  )
    return null;
  const op = { ...empty };
  if (value.implementation !== undefined && value.implementation !== null) {
    if (typeof value.implementation === 'string') op.implementation = value.implementation;
    else
      ctx.report(
        'bad_value',
        site.section,
        site.name,
        [...rest, 'implementation'],
        'implementation must be a plugin operation (plugin.module.function) or a script path',
      );
  }
  if (value.inputs !== undefined && value.inputs !== null) {
    if (!isMapping(value.inputs))
      ctx.report(
        'not_a_mapping',
        site.section,
        site.name,
        [...rest, 'inputs'],
        'Operation inputs must be a mapping',
      );
    else if (site.level === 'type') {
      for (const [input, schema] of Object.entries(value.inputs)) {
        if (schema !== null && !isMapping(schema)) {
          ctx.report(
            'bad_value',
            site.section,
            site.name,
            [...rest, 'inputs', input],
            `Operation input '${input}' of a type must be a schema such as { default: value }`,
          );
        } else if (isMapping(schema))
          ctx.checkKeys(site.section, site.name, [...rest, 'inputs', input], schema, [
            'description',
            'type',
            'default',
          ]);
      }
      op.inputs = value.inputs;
    } else op.inputs = value.inputs;
  }
  if (value.executor !== undefined && value.executor !== null) {
    if (EXECUTORS.has(value.executor as Executor)) op.executor = value.executor as Executor;
    else
      ctx.report(
        'bad_executor',
        site.section,
        site.name,
        [...rest, 'executor'],
        `executor must be central_deployment_agent or host_agent, got ${JSON.stringify(value.executor)}`,
      );
  }
  op.maxRetries = number(ctx, site, [...rest, 'max_retries'], value.max_retries, -1);
  op.retryInterval = number(ctx, site, [...rest, 'retry_interval'], value.retry_interval, 0);
  return op;
}

function number(
  ctx: ParseContext,
  site: InterfacesSite,
  rest: PathSegments,
  value: unknown,
  min: number,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && value >= min) return value;
  ctx.report(
    'bad_value',
    site.section,
    site.name,
    rest,
    `${String(rest[rest.length - 1])} must be a number >= ${min}`,
  );
  return null;
}

/** Type-level merge: a derived type's operation replaces its parent's. */
export function mergeTypeInterfaces(parent: InterfacesDecl, child: InterfacesDecl): InterfacesDecl {
  const out: InterfacesDecl = {};
  for (const [iface, ops] of Object.entries(parent)) out[iface] = { ...ops };
  for (const [iface, ops] of Object.entries(child)) out[iface] = { ...(out[iface] ?? {}), ...ops };
  return out;
}

/** Result of mapping an implementation to a plugin. */
export interface Mapped {
  plugin: string | null;
  operation: string;
  script: boolean;
}

/** Maps implementations to plugins; caches per implementation (file checks are I/O). */
export class ImplementationMapper {
  readonly #cache = new Map<string, Mapped | { error: 'script_not_found' | 'undeclared_plugin' }>();
  constructor(
    private readonly ctx: ParseContext,
    private readonly plugins: Record<string, PluginDef>,
  ) {}

  /** Maps `implementation`, reporting a problem at the site. Returns null on error. */
  map(
    implementation: string,
    report: (
      code: 'script_not_found' | 'undeclared_plugin' | 'script_plugin_missing',
      message: string,
    ) => void,
  ): Mapped | null {
    if (implementation === '') return { plugin: null, operation: '', script: false };
    let result = this.#cache.get(implementation);
    if (!result) {
      result = this.compute(implementation);
      this.#cache.set(implementation, result);
    }
    if ('error' in result) {
      if (result.error === 'script_not_found')
        report(
          'script_not_found',
          `Script '${implementation}' not found in the blueprint folder ${this.ctx.baseDir}, and '${implementation.split('.')[0]}' is not a declared plugin`,
        );
      else
        report(
          'undeclared_plugin',
          `Operation '${implementation}' names plugin '${implementation.split('.')[0]}', which is not declared (declared: ${Object.keys(this.plugins).join(', ') || 'none'}); declare it under plugins or import its plugin.yaml`,
        );
      return null;
    }
    if (result.script && !has(this.plugins, 'script')) {
      report(
        'script_plugin_missing',
        `Script mapping '${implementation}' needs the 'script' plugin: import http://www.getcloudify.org/spec/cloudify/3.3/types.yaml`,
      );
    }
    return result;
  }

  private compute(
    implementation: string,
  ): Mapped | { error: 'script_not_found' | 'undeclared_plugin' } {
    const dot = implementation.indexOf('.');
    const first = dot > 0 ? implementation.slice(0, dot) : implementation;
    if (dot > 0 && has(this.plugins, first) && !implementation.includes('/')) {
      return { plugin: first, operation: implementation.slice(dot + 1), script: false };
    }
    const script: Mapped = { plugin: 'script', operation: 'script_runner.tasks.run', script: true };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(implementation)) return script;
    const resolver = this.ctx.resolver;
    const looksLikePath =
      implementation.includes('/') || /\.(sh|py|ps1|bat|cmd|rb|pl|js|bash)$/i.test(implementation);
    if (resolver) {
      if (resolver.exists(path.join(this.ctx.baseDir, implementation))) return script;
      return { error: looksLikePath ? 'script_not_found' : 'undeclared_plugin' };
    }
    return looksLikePath ? script : { error: 'undeclared_plugin' };
  }
}

/**
 * Builds the final operations of a template: type operations overridden by the template's,
 * inputs merged Cloudify's way (same implementation: template values over type defaults;
 * different implementation: template inputs only).
 */
export function resolveOperations(
  typeIfaces: InterfacesDecl,
  templateIfaces: InterfacesDecl,
  onMissingInput: (iface: string, op: string, input: string, fromTemplate: boolean) => void,
): Record<string, { decl: OperationDecl; fromTemplate: boolean; inputs: Mapping }> {
  const out: Record<string, { decl: OperationDecl; fromTemplate: boolean; inputs: Mapping }> = {};
  const names = new Set([...Object.keys(typeIfaces), ...Object.keys(templateIfaces)]);
  for (const iface of names) {
    const typeOps = typeIfaces[iface] ?? {};
    const templateOps = templateIfaces[iface] ?? {};
    const ops = new Set([...Object.keys(typeOps), ...Object.keys(templateOps)]);
    for (const op of ops) {
      const base = typeOps[op];
      const over = templateOps[op];
      let decl: OperationDecl;
      let inputs: Mapping;
      if (over && base) {
        const implementation = over.implementation || base.implementation;
        decl = {
          implementation,
          inputs: over.inputs,
          executor: over.executor ?? base.executor,
          maxRetries: over.maxRetries ?? base.maxRetries,
          retryInterval: over.retryInterval ?? base.retryInterval,
        };
        inputs =
          implementation === base.implementation
            ? schemaInputs(base.inputs, over.inputs, (i) => onMissingInput(iface, op, i, true))
            : { ...over.inputs };
      } else if (over) {
        decl = over;
        inputs = { ...over.inputs };
      } else {
        decl = base!;
        inputs = schemaInputs(base!.inputs, {}, (i) => onMissingInput(iface, op, i, false));
      }
      out[`${iface}.${op}`] = { decl, fromTemplate: over !== undefined, inputs };
    }
  }
  return out;
}

function schemaInputs(
  schemas: Mapping,
  values: Mapping,
  missing: (input: string) => void,
): Mapping {
  const out: Mapping = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (has(values, name)) out[name] = values[name];
    else if (isMapping(schema) && has(schema, 'default')) out[name] = cloneData(schema.default);
    else missing(name);
  }
  for (const [name, value] of Object.entries(values)) if (!has(out, name)) out[name] = value;
  return out;
}

/** Builds a {@link ResolvedOperation}. */
export function toResolved(
  name: string,
  decl: OperationDecl,
  mapped: Mapped | null,
  inputs: Mapping,
  plugins: Record<string, PluginDef>,
): ResolvedOperation {
  if (!mapped || mapped.plugin === null) {
    return {
      name,
      operation: '',
      plugin: null,
      executor: null,
      inputs,
      maxRetries: decl.maxRetries,
      retryInterval: decl.retryInterval,
    };
  }
  const plugin = plugins[mapped.plugin];
  const finalInputs = mapped.script ? { ...inputs, script_path: decl.implementation } : inputs;
  return {
    name,
    operation: mapped.operation,
    plugin: mapped.plugin,
    executor: decl.executor ?? plugin?.executor ?? 'host_agent',
    inputs: finalInputs,
    maxRetries: decl.maxRetries,
    retryInterval: decl.retryInterval,
  };
}
