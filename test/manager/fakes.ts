/**
 * Small fakes of the dsl/plan/workflows ports for tests of the HTTP layer itself (auth, errors,
 * lists, archives, execution rules). The end-to-end suite uses the real modules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError, cloudifyTimestamp } from '../../src/core/index.js';
import type { DeploymentModel } from '../../src/plan/model.js';
import type {
  BlueprintParserPort,
  DeploymentPlannerPort,
  WorkflowRunnerPort,
  WorkflowRunRequest,
} from '../../src/manager/services/ports.js';

interface FakeBlueprint {
  inputs?: Record<string, { default?: unknown }>;
  node_templates?: Record<string, { type: string; properties?: Record<string, unknown> }>;
  outputs?: Record<string, { value: unknown }>;
}

export const fakeParser: BlueprintParserPort = {
  parse(dir, mainFile) {
    const text = readFileSync(join(dir, mainFile), 'utf8');
    const doc = parseDocument(text, { prettyErrors: false });
    const diagnostics = doc.errors.map((e) => ({
      code: 'yaml_syntax',
      severity: 'error' as const,
      message: e.message,
      file: mainFile,
      line: e.linePos?.[0].line ?? 1,
      column: e.linePos?.[0].col ?? 1,
    }));
    const bp = (doc.errors.length === 0 ? doc.toJS() : {}) as FakeBlueprint | null;
    if (diagnostics.length === 0 && !bp?.node_templates) {
      diagnostics.push({ code: 'missing_node_templates', severity: 'error', message: 'node_templates is required', file: mainFile, line: 1, column: 1 });
    }
    return Promise.resolve({ plan: { node_templates: Object.keys(bp?.node_templates ?? {}) }, description: null, diagnostics });
  },
};

export const fakePlanner: DeploymentPlannerPort = {
  plan({ dir, mainFile, inputs, deploymentId }) {
    const bp = parseDocument(readFileSync(join(dir, mainFile), 'utf8')).toJS() as FakeBlueprint;
    const declared = bp.inputs ?? {};
    const unknown = Object.keys(inputs).filter((k) => !(k in declared));
    const missing = Object.keys(declared).filter((k) => !(k in inputs) && declared[k]?.default === undefined);
    if (unknown.length > 0 || missing.length > 0) {
      throw new UserError('unknown_deployment_input_error', `Bad inputs: unknown ${unknown.join(',')} missing ${missing.join(',')}`, {
        details: { diagnostics: [...unknown, ...missing].map((k) => ({ path: `inputs.${k}` })) },
      });
    }
    const params = { install: {}, uninstall: {}, echo: { message: { default: 'hi' } } };
    const model: DeploymentModel = {
      inputs: Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, k in inputs ? inputs[k] : v.default])),
      description: null,
      nodes: Object.entries(bp.node_templates ?? {}).map(([id, t]) => ({
        id, type: t.type, typeHierarchy: [t.type], properties: t.properties ?? {}, operations: {}, relationships: [], hostId: null, plugins: [], deployInstances: 1,
      })),
      nodeInstances: Object.keys(bp.node_templates ?? {}).map((id) => ({ id: `${id}_${deploymentId}`, nodeId: id, hostId: null, relationships: [] })),
      workflows: Object.fromEntries(
        Object.entries(params).map(([name, p]) => [name, { name, operation: `fake.${name}`, plugin: 'default_workflows', parameters: p }]),
      ),
      outputs: bp.outputs ?? {},
      groups: {},
      policies: {},
      plugins: [],
    };
    return Promise.resolve(model);
  },
};

/** A runner that sets states (install: started with `ip` runtime property; uninstall: deleted). */
export function fakeRunner(options: { gate?: Promise<void>; fail?: string } = {}): WorkflowRunnerPort {
  return {
    async run(req: WorkflowRunRequest) {
      const event = (text: string, type: 'workflow_started' | 'workflow_succeeded'): void =>
        req.events.emit({
          type: 'cloudify_event', event_type: type, timestamp: cloudifyTimestamp(new Date()), message_code: null,
          message: { text, arguments: null },
          context: { deployment_id: req.execution.deployment_id, execution_id: req.execution.id, workflow_id: req.execution.workflow_id },
        });
      event(`Starting '${req.execution.workflow_id}' workflow execution`, 'workflow_started');
      if (options.gate) {
        await Promise.race([
          options.gate,
          new Promise((_r, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
        ]);
      }
      if (options.fail) throw new Error(options.fail);
      for (const ni of req.model.nodeInstances) {
        if (req.execution.workflow_id === 'install') {
          await req.instances.setState(ni.id, 'started');
          const current = await req.instances.get(ni.id);
          await req.instances.updateRuntimeProperties(ni.id, { ip: '127.0.0.9' }, current.version);
        } else if (req.execution.workflow_id === 'uninstall') {
          await req.instances.setState(ni.id, 'deleted');
        }
      }
      event(`'${req.execution.workflow_id}' workflow execution succeeded`, 'workflow_succeeded');
    },
  };
}

export const fakeDeps = { parser: fakeParser, planner: fakePlanner, runner: fakeRunner() };

export const simpleBlueprint = `tosca_definitions_version: cloudify_dsl_1_2
inputs:
  port:
    default: 8080
node_templates:
  vm:
    type: cloudify.nodes.Compute
outputs:
  endpoint:
    value: { concat: ['http://', { get_attribute: [vm, ip] }, ':', 8080] }
`;
