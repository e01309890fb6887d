/** `planDeployment`: Blueprint + inputs -> DeploymentModel (pure, seedable ids). */
import { secureRandom, UserError, type RandomSource } from '../core/index.js';
import {
  StaticEvaluator,
  containsFunction,
  formatDiagnostic,
  operationsContainFunction,
  type Blueprint,
  type Diagnostic,
  type FunctionScope,
  type NodeTemplate,
  type ResolvedOperation,
} from '../dsl/index.js';
import { resolveInputs } from './inputs.js';
import {
  childrenByContainer,
  containerNodeId,
  containmentOrder,
  IdAllocator,
  relationshipInstances,
  spawn,
  type DraftInstance,
} from './instances.js';
import type {
  DeploymentModel,
  GroupSpec,
  NodeInstanceModel,
  NodeModel,
  OperationSpec,
  PluginSpec,
  PolicySpec,
  RelationshipModel,
  WorkflowSpec,
} from './model.js';

export interface PlanOptions {
  /** Source of instance-id randomness. @default secure random */
  random?: RandomSource;
}

/**
 * Plans a deployment. Throws a {@link UserError} carrying every diagnostic (missing, unknown
 * or mistyped inputs; functions that fail with these inputs) in `details.diagnostics`.
 */
export function planDeployment(
  blueprint: Blueprint,
  inputs: Readonly<Record<string, unknown>> = {},
  options: PlanOptions = {},
): DeploymentModel {
  const resolved = resolveInputs(blueprint, inputs);
  if (resolved.diagnostics.length > 0) throw inputsError(resolved.diagnostics);
  const diagnostics: Diagnostic[] = [];
  const props = new Map(blueprint.nodeTemplates.map((t) => [t.id, t.properties]));
  const evaluator = new StaticEvaluator({
    nodeProperties: (node) => props.get(node),
    hasInput: (name) => Object.prototype.hasOwnProperty.call(blueprint.inputs, name),
    inputs: resolved.values,
    onError: (e) =>
      diagnostics.push({
        code: e.code,
        severity: 'error',
        path: e.path.join('.'),
        message: e.message,
        file: blueprint.source,
        line: 0,
        column: 0,
      }),
  });
  const plugins = Object.values(blueprint.plugins).map(toPluginSpec);
  const pluginByName = new Map(plugins.map((p) => [p.name, p]));
  const nodes = blueprint.nodeTemplates.map((t) => toNodeModel(t, evaluator, pluginByName));
  const outputs: DeploymentModel['outputs'] = {};
  for (const [name, output] of Object.entries(blueprint.outputs)) {
    outputs[name] = {
      ...(output.description !== undefined ? { description: output.description } : {}),
      value: evaluator.evaluate(output.value, { kind: 'outputs' }, ['outputs', name, 'value']),
    };
  }
  if (diagnostics.length > 0) {
    throw new UserError(
      'invalid_blueprint_error',
      `The blueprint's functions cannot be evaluated with these inputs: ${diagnostics.map(formatDiagnostic).join('; ')}`,
      { details: { diagnostics } },
    );
  }
  return {
    inputs: resolved.values,
    nodes,
    nodeInstances: planInstances(nodes, options.random ?? secureRandom),
    workflows: Object.fromEntries(
      Object.values(blueprint.workflows).map((w): [string, WorkflowSpec] => [
        w.name,
        { name: w.name, operation: w.mapping, plugin: w.plugin, parameters: w.parameters },
      ]),
    ),
    outputs,
    groups: Object.fromEntries(
      Object.entries(blueprint.groups).map(([name, g]): [string, GroupSpec] => [
        name,
        { members: g.members, policies: g.policies },
      ]),
    ),
    policies: Object.fromEntries(
      Object.entries(blueprint.policies).map(([name, p]): [string, PolicySpec] => [
        name,
        { type: p.type, targets: p.targets, properties: p.properties },
      ]),
    ),
    plugins,
    description: blueprint.description,
  };
}

function inputsError(diagnostics: Diagnostic[]): UserError {
  const code = diagnostics.some((d) => d.code === 'missing_required_input')
    ? 'missing_required_deployment_input_error'
    : diagnostics.some((d) => d.code === 'undeclared_input_value')
      ? 'unknown_deployment_input_error'
      : 'deployment_input_type_error';
  return new UserError(
    code,
    `Invalid deployment inputs: ${diagnostics.map((d) => d.message).join('; ')}`,
    {
      details: { diagnostics },
    },
  );
}

function toPluginSpec(p: Blueprint['plugins'][string]): PluginSpec {
  return {
    name: p.name,
    executor: p.executor,
    source: p.source,
    install: p.install,
    packageName: p.packageName,
    packageVersion: p.packageVersion,
  };
}

/** Operation records without functions are shared as they are (the model is read-only data). */
function evaluateOperations(
  ops: Record<string, ResolvedOperation>,
  evaluator: StaticEvaluator,
  scope: FunctionScope,
  at: (string | number)[],
): Record<string, OperationSpec> {
  if (!operationsContainFunction(ops)) return ops;
  const out: Record<string, OperationSpec> = {};
  for (const [name, op] of Object.entries(ops)) {
    out[name] = containsFunction(op.inputs)
      ? {
          ...op,
          inputs: evaluator.evaluate(op.inputs, scope, [...at, name, 'inputs']) as Record<
            string,
            unknown
          >,
        }
      : op;
  }
  return out;
}

function toNodeModel(
  t: NodeTemplate,
  evaluator: StaticEvaluator,
  plugins: Map<string, PluginSpec>,
): NodeModel {
  const self: FunctionScope = { kind: 'node', node: t.id };
  const properties: Record<string, unknown> = {};
  for (const prop in t.properties) {
    const value = t.properties[prop];
    properties[prop] = containsFunction(value)
      ? evaluator.property(t.id, [prop], ['node_templates', t.id, 'properties', prop])
      : value;
  }
  const relationships = t.relationships.map((r, i): RelationshipModel => {
    const scope: FunctionScope = { kind: 'relationship', source: t.id, target: r.target };
    const at = ['node_templates', t.id, 'relationships', i];
    return {
      type: r.type,
      typeHierarchy: r.typeHierarchy,
      targetId: r.target,
      properties: evaluator.evaluate(r.properties, scope, [...at, 'properties']) as Record<
        string,
        unknown
      >,
      sourceOperations: evaluateOperations(r.sourceOperations, evaluator, scope, [
        ...at,
        'source_interfaces',
      ]),
      targetOperations: evaluateOperations(r.targetOperations, evaluator, scope, [
        ...at,
        'target_interfaces',
      ]),
      connectionType: r.connectionType,
    };
  });
  return {
    id: t.id,
    type: t.type,
    typeHierarchy: t.typeHierarchy,
    properties,
    operations: evaluateOperations(t.operations, evaluator, self, [
      'node_templates',
      t.id,
      'interfaces',
    ]),
    relationships,
    hostId: t.hostId,
    plugins: t.plugins.map((p) => plugins.get(p)).filter((p): p is PluginSpec => p !== undefined),
    deployInstances: t.deployInstances,
  };
}

/** Creates every node instance and its relationship instances. */
export function planInstances(
  nodes: readonly NodeModel[],
  random: RandomSource,
): NodeInstanceModel[] {
  const ids = new IdAllocator(random);
  const children = childrenByContainer(nodes);
  const drafts: DraftInstance[] = [];
  for (const node of containmentOrder(nodes)) {
    if (containerNodeId(node) === null)
      spawn(node, node.deployInstances, null, children, ids, drafts);
  }
  const byNode = new Map<string, DraftInstance[]>(nodes.map((n) => [n.id, []]));
  for (const d of drafts) byNode.get(d.nodeId)!.push(d);
  const instancesOf = (nodeId: string): DraftInstance[] => byNode.get(nodeId) ?? [];
  const out: NodeInstanceModel[] = [];
  for (const node of nodes) {
    for (const d of instancesOf(node.id)) {
      out.push({
        id: d.id,
        nodeId: d.nodeId,
        hostId: d.hostId,
        relationships: relationshipInstances(node, d, instancesOf),
      });
    }
  }
  return out;
}
