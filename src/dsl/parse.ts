/** `parseBlueprint`: YAML text (plus imports through a resolver) -> Blueprint + diagnostics. */
import { posix as path } from 'node:path';
import { ParseContext } from './context.js';
import { DiagnosticSink, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import {
  parseDataTypes,
  parseNodeTypes,
  parsePlugins,
  parsePolicyDefinitions,
  parseRelationshipTypes,
} from './definitions.js';
import {
  StaticEvaluator,
  containsFunction,
  operationsContainFunction,
  type FunctionScope,
} from './functions.js';
import { loadFiles } from './imports.js';
import type { ImportResolver } from './resolver.js';
import {
  parseGroups,
  parseInputs,
  parseOutputs,
  parsePolicies,
  parseWorkflows,
} from './sections.js';
import { parseNodeTemplates } from './templates.js';
import type { Blueprint, NodeTemplate } from './types.js';
import type { YamlSource } from './yaml-source.js';
import { isMapping } from './util.js';

export interface ParseOptions {
  /** Path of the blueprint file (diagnostics name it; relative imports and scripts resolve from its folder). */
  source: string;
  /** Resolves imports and checks script files. Without one, imports are errors and scripts are not checked. */
  resolver?: ImportResolver;
}

export interface ParseResult {
  /** The blueprint; null only when the file could not be read as a blueprint at all. */
  blueprint: Blueprint | null;
  /** Every problem found, sorted by file and position. */
  diagnostics: Diagnostic[];
}

/** Parses and validates a blueprint. Pure apart from the resolver; never throws on bad input. */
export function parseBlueprint(text: string, options: ParseOptions): ParseResult {
  const sources = new Map<string, YamlSource>();
  const sink = new DiagnosticSink(
    (file, at, key) => sources.get(file)?.locate(at, key) ?? { line: 0, column: 0 },
  );
  const mainFile = path.normalize(options.source);
  const ctx = new ParseContext(sink, mainFile, path.dirname(mainFile), options.resolver);
  loadFiles(ctx, text, sources);
  const main = sources.get(mainFile);
  if (!main || main.errors.length > 0 || typeof main.value !== 'object' || main.value === null) {
    return { blueprint: null, diagnostics: sortDiagnostics(sink.items) };
  }
  const plugins = parsePlugins(ctx);
  const dataTypes = parseDataTypes(ctx);
  const nodeTypes = parseNodeTypes(ctx, dataTypes);
  const relationshipTypes = parseRelationshipTypes(ctx, dataTypes);
  const { policyTypes, policyTriggers } = parsePolicyDefinitions(ctx);
  const inputs = parseInputs(ctx);
  const outputs = parseOutputs(ctx);
  const nodeTemplates = parseNodeTemplates(ctx, {
    dataTypes,
    nodeTypes,
    relationshipTypes,
    plugins,
  });
  const workflows = parseWorkflows(ctx, plugins);
  const nodeIds = new Set(Object.keys(ctx.sections.node_templates));
  const groups = parseGroups(ctx, nodeIds, policyTypes, policyTriggers);
  const policies = parsePolicies(ctx, groups, policyTypes);
  const blueprint: Blueprint = {
    version: ctx.version,
    description: ctx.description,
    source: mainFile,
    inputs,
    outputs,
    dataTypes,
    nodeTypes,
    relationshipTypes,
    plugins,
    workflows,
    nodeTemplates,
    groups,
    policies,
    policyTypes,
    policyTriggers,
  };
  validateFunctions(ctx, blueprint);
  return { blueprint, diagnostics: sortDiagnostics(sink.items) };
}

/**
 * Calls `visit` for every value that may hold intrinsic functions, with its scope and path:
 * node properties, operation inputs, relationship properties and operation inputs, outputs.
 */
export function forEachFunctionSite(
  blueprint: Blueprint,
  visit: (
    value: unknown,
    scope: FunctionScope,
    at: (string | number)[],
    node: NodeTemplate | null,
  ) => void,
): void {
  const visitOperations = (
    ops: NodeTemplate['operations'],
    scope: FunctionScope,
    at: (string | number)[],
    t: NodeTemplate,
  ): void => {
    if (!operationsContainFunction(ops)) return;
    for (const name in ops) {
      const inputs = ops[name]!.inputs;
      if (containsFunction(inputs)) visit(inputs, scope, [...at, ...splitOp(name), 'inputs'], t);
    }
  };
  for (const t of blueprint.nodeTemplates) {
    visitOperations(
      t.operations,
      { kind: 'node', node: t.id },
      ['node_templates', t.id, 'interfaces'],
      t,
    );
    t.relationships.forEach((r, i) => {
      const scope: FunctionScope = { kind: 'relationship', source: t.id, target: r.target };
      const at = ['node_templates', t.id, 'relationships', i];
      if (containsFunction(r.properties)) visit(r.properties, scope, [...at, 'properties'], t);
      visitOperations(r.sourceOperations, scope, [...at, 'source_interfaces'], t);
      visitOperations(r.targetOperations, scope, [...at, 'target_interfaces'], t);
    });
  }
  for (const [name, output] of Object.entries(blueprint.outputs))
    visit(output.value, { kind: 'outputs' }, ['outputs', name, 'value'], null);
}

function rawProperties(def: unknown): Record<string, unknown> {
  return isMapping(def) && isMapping(def.properties) ? def.properties : {};
}

function splitOp(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

function validateFunctions(ctx: ParseContext, blueprint: Blueprint): void {
  const props = new Map(blueprint.nodeTemplates.map((t) => [t.id, t.properties]));
  const raw = ctx.sections.node_templates;
  const evaluator = new StaticEvaluator({
    // Templates dropped for another error (e.g. an unknown type) still count as existing.
    nodeProperties: (node) =>
      props.get(node) ??
      (Object.prototype.hasOwnProperty.call(raw, node) ? rawProperties(raw[node]) : undefined),
    hasInput: (name) => Object.prototype.hasOwnProperty.call(blueprint.inputs, name),
    inputs: null,
    onError: (e) => {
      const [section, name, ...rest] = e.path;
      const file =
        section === 'outputs'
          ? ctx.origin('outputs', String(name))
          : ctx.origin('node_templates', String(name));
      ctx.diag.add(e.code, file, [section!, name!, ...rest], e.message);
    },
  });
  for (const t of blueprint.nodeTemplates) {
    for (const prop in t.properties)
      if (containsFunction(t.properties[prop]))
        evaluator.property(t.id, [prop], ['node_templates', t.id, 'properties', prop]);
  }
  forEachFunctionSite(blueprint, (value, scope, at) => evaluator.evaluate(value, scope, at));
}
