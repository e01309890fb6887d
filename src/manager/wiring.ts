/**
 * The real adapters behind the manager's ports: storage (src/storage), blueprint parsing
 * (src/dsl), planning (src/plan) and workflow runs (src/workflows + the in-process plugin
 * dispatcher of src/plugins). `defaultManagerDeps()` is what `cfy-manager start` uses.
 */
import { isAbsolute, join, relative } from 'node:path';
import { systemClock } from '../core/index.js';
import { invalidBlueprintError, parseBlueprintFile, type Blueprint, type Diagnostic } from '../dsl/index.js';
import type { OperationDispatcherPort } from '../engine/index.js';
import { planDeployment } from '../plan/index.js';
import { FolderResourcesAdapter, InProcessDispatcherAdapter, PluginRegistry, registerBuiltinPlugins } from '../plugins/index.js';
import { openStorage } from '../storage/index.js';
import { runWorkflow } from '../workflows/index.js';
import type { ManagerDeps } from './app.js';
import type { BlueprintDiagnostic, BlueprintParserPort, DeploymentPlannerPort, WorkflowRunRequest, WorkflowRunnerPort } from './services/ports.js';
import { storeWithStorage } from './services/snapshots-storage.js';

/** Diagnostic file names relative to the blueprint folder (no data-dir paths in messages). */
function relativeTo(dir: string, d: Diagnostic): BlueprintDiagnostic {
  const rel = d.file && isAbsolute(d.file) ? relative(dir, d.file) : d.file;
  return { ...d, file: rel && !rel.startsWith('..') ? rel : d.file };
}

/** The JSON kept as a blueprint's `plan`: a summary of the parsed blueprint. */
export function blueprintSummary(bp: Blueprint): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      description: bp.description,
      inputs: bp.inputs,
      outputs: bp.outputs,
      node_templates: bp.nodeTemplates.map((t) => ({
        id: t.id,
        type: t.type,
        contained_in: t.containedIn,
        relationships: t.relationships.map((r) => ({ type: r.type, target: r.target })),
      })),
      workflows: Object.keys(bp.workflows),
      plugins: Object.keys(bp.plugins),
    }),
  ) as Record<string, unknown>;
}

/** src/dsl behind the parser port. */
export const dslParser: BlueprintParserPort = {
  parse(dir, mainFile) {
    const { blueprint, diagnostics } = parseBlueprintFile(join(dir, mainFile));
    return Promise.resolve({
      plan: blueprint ? blueprintSummary(blueprint) : {},
      description: blueprint?.description ?? null,
      diagnostics: diagnostics.map((d) => relativeTo(dir, d)),
    });
  },
};

/** src/plan behind the planner port (the blueprint is parsed again from its folder). */
export const dslPlanner: DeploymentPlannerPort = {
  plan({ dir, mainFile, inputs }) {
    const { blueprint, diagnostics } = parseBlueprintFile(join(dir, mainFile));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (!blueprint || errors.length > 0) throw invalidBlueprintError(errors.map((d) => relativeTo(dir, d) as Diagnostic));
    return Promise.resolve(planDeployment(blueprint, inputs));
  },
};

export interface WorkflowRunnerOptions {
  /** Runs `host_agent` operations. @default the in-process dispatcher (like `cfy local`) */
  hostAgentDispatcher?: (fallback: OperationDispatcherPort, request: WorkflowRunRequest) => OperationDispatcherPort;
  /** Registers more plugins (e.g. the `agent` plugin) after the built-in ones. */
  plugins?: (registry: PluginRegistry) => void;
}

/** src/workflows' runWorkflow with the in-process plugin dispatcher. */
export function workflowRunner(options: WorkflowRunnerOptions = {}): WorkflowRunnerPort {
  const registry = registerBuiltinPlugins(new PluginRegistry());
  options.plugins?.(registry);
  return {
    async run(request) {
      const { model } = request;
      const inProcess = new InProcessDispatcherAdapter({
        registry,
        events: request.events,
        ports: {
          store: request.instances,
          nodes: {
            node: (id) => {
              const node = model.nodes.find((n) => n.id === id);
              if (!node) throw new Error(`Node ${id} is not part of deployment ${request.execution.deployment_id ?? ''}`);
              return node;
            },
          },
          resources: new FolderResourcesAdapter(request.blueprintDir),
        },
      });
      const host = options.hostAgentDispatcher?.(inProcess, request) ?? inProcess;
      const dispatcher: OperationDispatcherPort = {
        run: (invocation, signal) =>
          (invocation.operation.executor === 'host_agent' ? host : inProcess).run(invocation, signal),
      };
      const force = new AbortController();
      const onAbort = (): void => {
        if (request.signal.reason !== 'cancel') force.abort(request.signal.reason);
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await runWorkflow({
          model,
          workflow: request.execution.workflow_id,
          parameters: request.parameters,
          deploymentId: request.execution.deployment_id,
          blueprintId: request.execution.blueprint_id,
          ports: { dispatcher, instances: request.instances, executions: request.executions, events: request.events, clock: systemClock },
          options: { executionId: request.execution.id, signal: request.signal, forceSignal: force.signal, allowCustomParameters: true },
        });
        if (result.error) throw result.error;
      } finally {
        request.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

/** The adapters `cfy-manager start` runs with. */
export function defaultManagerDeps(options: WorkflowRunnerOptions = {}): ManagerDeps {
  return {
    openStore: async (config) => storeWithStorage(await openStorage({ url: config.storageUrl })),
    parser: dslParser,
    planner: dslPlanner,
    runner: workflowRunner(options),
  };
}
