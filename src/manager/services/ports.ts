/**
 * What the manager needs from dsl/, plan/ and workflows/, as small ports. wiring.ts adapts
 * the real modules to them; tests may pass fakes.
 */
import type { ExecutionStorePort } from '../../engine/index.js';
import type { EventSinkPort, InstanceStorePort } from '../../engine/ports.js';
import type { DeploymentModel } from '../../plan/model.js';
import type { ExecutionRecord } from '../store/records.js';

/** One DSL finding, as src/dsl reports it. */
export interface BlueprintDiagnostic {
  code: string;
  severity: 'error' | 'warning';
  path?: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface ParsedBlueprint {
  /** JSON summary stored as the blueprint's `plan`. */
  plan: Record<string, unknown>;
  description: string | null;
  diagnostics: BlueprintDiagnostic[];
}

/** Parses and validates the blueprint at `<dir>/<mainFile>` (imports resolved relative to dir). */
export interface BlueprintParserPort {
  parse(dir: string, mainFile: string): Promise<ParsedBlueprint>;
}

/** Plans a deployment; throws a UserError (with diagnostics) on bad inputs. */
export interface DeploymentPlannerPort {
  plan(request: { dir: string; mainFile: string; deploymentId: string; inputs: Record<string, unknown> }): Promise<DeploymentModel>;
}

/** Everything a workflow run needs. */
export interface WorkflowRunRequest {
  execution: ExecutionRecord;
  model: DeploymentModel;
  /** Workflow parameters after defaults were applied. */
  parameters: Record<string, unknown>;
  instances: InstanceStorePort;
  /** Where the engine moves the execution's status and records task attempts. */
  executions: ExecutionStorePort;
  events: EventSinkPort;
  /** The extracted blueprint folder (scripts and resources are read from it). */
  blueprintDir: string;
  /** Aborts on cancel (reason `cancel`), force-cancel (`force-cancel`) and shutdown (`shutdown`). */
  signal: AbortSignal;
}

/**
 * Runs one workflow to its end. Resolves on success, rejects on failure or cancellation. It may
 * move the execution's status itself (through `executions`); the manager records the end
 * status only when the runner did not.
 */
export interface WorkflowRunnerPort {
  run(request: WorkflowRunRequest): Promise<void>;
}
