/**
 * Executions run inside the manager: `start` checks the §2.3 rules and records a `pending`
 * execution, then the workflow runs in the background with an AbortController for cancel /
 * force-cancel. `close` stops them; `reconcile` fails executions a previous process left active.
 */
import { cloudifyTimestamp, newUuid, notFound } from '../../core/index.js';
import { eventDocument, workflowContext, type EventSinkPort } from '../../engine/index.js';
import { badParameters } from '../errors.js';
import type { ListQuery, ListResult } from '../store/port.js';
import {
  activeStates,
  endStates,
  executionStatuses,
  type ExecutionRecord,
  type ExecutionStatus,
} from '../store/records.js';
import { isoNow, type ServiceContext } from './context.js';
import type { DeploymentService } from './deployments.js';
import { cancelTransition, checkCanStart, findWorkflow, mergeParameters, type CancelAction } from './execution-rules.js';
import { executionStore } from './execution-store.js';
import { instanceStore } from './instance-store.js';

/** Error text of executions a previous manager process left active. */
export const restartInterruptedError = 'interrupted: the manager restarted while this execution was running';
/** Error text of executions running when the manager shut down. */
export const shutdownInterruptedError = 'interrupted: the manager shut down while this execution was running';

export interface StartExecutionRequest {
  deploymentId: string;
  workflowId: string;
  parameters?: unknown;
  allowCustomParameters?: boolean;
  force?: boolean;
}

/** The work of one execution, run in the background. */
type RunBody = (execution: ExecutionRecord, signal: AbortSignal) => Promise<void>;

/** The work of a system-wide execution. */
export type SystemWorkflowBody = (context: { execution: ExecutionRecord; events: EventSinkPort; signal: AbortSignal }) => Promise<void>;

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

const all = { offset: 0, size: 100_000 } as const;

export class ExecutionService {
  readonly #runs = new Map<string, Run>();
  #gate: Promise<unknown> = Promise.resolve();
  #closing = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deployments: DeploymentService,
    /** How long `close` waits for workflows to notice the abort. */
    private readonly closeGraceMs = 5000,
  ) {}

  async get(id: string): Promise<ExecutionRecord> {
    const record = await this.ctx.store.executions.get(id);
    if (!record) throw notFound('Execution', id);
    return record;
  }

  list(query: ListQuery): Promise<ListResult<ExecutionRecord>> {
    return this.ctx.store.executions.list(query);
  }

  async active(): Promise<ExecutionRecord[]> {
    return (await this.ctx.store.executions.list({ ...all, filter: { status: activeStates } })).items;
  }

  /** Records a pending execution (201) and starts it in the background. */
  async start(request: StartExecutionRequest): Promise<ExecutionRecord> {
    if (this.#closing) throw badParameters('The manager is shutting down; no new executions are accepted');
    const deployment = await this.deployments.get(request.deploymentId);
    const spec = findWorkflow(deployment.workflows, deployment.id, request.workflowId);
    const parameters = mergeParameters(
      request.workflowId,
      spec.parameters,
      request.parameters,
      request.allowCustomParameters ?? false,
    );
    // Check-then-insert is serialised so two concurrent requests cannot both pass the rules.
    const record = await this.#serial(async () => {
      checkCanStart(
        { deploymentId: deployment.id, systemWide: false, force: request.force ?? false },
        await this.active(),
        this.ctx.maxParallelExecutions,
      );
      const execution: ExecutionRecord = {
        id: newUuid(),
        status: 'pending',
        deployment_id: deployment.id,
        blueprint_id: deployment.blueprint_id,
        workflow_id: request.workflowId,
        created_at: isoNow(this.ctx),
        error: '',
        parameters,
        is_system_workflow: false,
      };
      await this.ctx.store.executions.insert(execution);
      return execution;
    });
    this.#launch(record, this.#deploymentBody);
    return record;
  }

  /**
   * Starts a system-wide execution (no deployment; e.g. snapshot create/restore): refused with
   * 400 `existing_running_execution_error` while any execution is active. `run` does the work
   * in the background; resolving means `terminated`, rejecting `failed`, the signal as for
   * deployment executions.
   */
  async startSystemWorkflow(request: {
    workflowId: string;
    parameters: Record<string, unknown>;
    run: SystemWorkflowBody;
  }): Promise<ExecutionRecord> {
    if (this.#closing) throw badParameters('The manager is shutting down; no new executions are accepted');
    const record = await this.#serial(async () => {
      checkCanStart({ deploymentId: null, systemWide: true, force: false }, await this.active(), this.ctx.maxParallelExecutions);
      const execution: ExecutionRecord = {
        id: newUuid(),
        status: 'pending',
        deployment_id: null,
        blueprint_id: null,
        workflow_id: request.workflowId,
        created_at: isoNow(this.ctx),
        error: '',
        parameters: request.parameters,
        is_system_workflow: true,
      };
      await this.ctx.store.executions.insert(execution);
      return execution;
    });
    this.#launch(record, (execution, signal) => request.run({ execution, events: this.ctx.events, signal }));
    return record;
  }

  /** `cancel` / `force-cancel`: moves the status and aborts the run. */
  async cancel(id: string, action: CancelAction): Promise<ExecutionRecord> {
    const execution = await this.get(id);
    const next = cancelTransition(execution, action);
    const run = this.#runs.get(id);
    if (!run) {
      // Nothing runs it in this process: it can only end here.
      return this.ctx.store.executions.update(id, { status: 'cancelled' });
    }
    const updated = await this.ctx.store.executions.update(id, { status: next });
    run.controller.abort(action);
    return updated;
  }

  /** Raw status update (`PATCH /executions/{id}`), no transition check, as in Cloudify. */
  async setStatus(id: string, status: string, error: string | undefined): Promise<ExecutionRecord> {
    if (!executionStatuses.includes(status as ExecutionStatus)) {
      throw badParameters(`Unknown execution status '${status}'; one of: ${executionStatuses.join(', ')}`, { status });
    }
    await this.get(id);
    return this.ctx.store.executions.update(id, { status: status as ExecutionStatus, ...(error !== undefined ? { error } : {}) });
  }

  /** Number of workflows running in this process. */
  get running(): number {
    return this.#runs.size;
  }

  /** Resolves when the given execution's background run has ended (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.#runs.get(id)?.done;
  }

  /**
   * Fails every execution a previous process left active (see
   * docs/decisions/manager-execution-reconciliation.md). Returns their ids.
   */
  async reconcile(): Promise<string[]> {
    const stale = (await this.active()).filter((e) => !this.#runs.has(e.id));
    for (const e of stale) {
      await this.ctx.store.executions.update(e.id, { status: 'failed', error: restartInterruptedError });
      const now = this.ctx.now();
      const context = workflowContext({
        blueprintId: e.blueprint_id,
        deploymentId: e.deployment_id,
        executionId: e.id,
        workflowId: e.workflow_id,
      });
      const text = `'${e.workflow_id}' workflow execution failed: ${restartInterruptedError}`;
      this.ctx.events.emit({ ...eventDocument(cloudifyTimestamp(now), 'workflow_failed', text, context), '@timestamp': now.toISOString() });
    }
    await this.ctx.events.flush();
    return stale.map((e) => e.id);
  }

  /** Stops accepting executions, aborts running ones and waits (bounded) for them. */
  async close(): Promise<void> {
    this.#closing = true;
    const runs = [...this.#runs.entries()];
    for (const [, run] of runs) run.controller.abort('shutdown');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.closeGraceMs)));
    await Promise.race([Promise.all(runs.map(([, r]) => r.done)), grace]);
    clearTimeout(timer);
    for (const [id] of runs) {
      if (this.#runs.has(id)) await this.#finish(id, 'failed', shutdownInterruptedError, true);
    }
    await this.ctx.events.flush();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#gate.then(fn, fn);
    this.#gate = next.catch(() => undefined);
    return next;
  }

  #launch(execution: ExecutionRecord, body: RunBody): void {
    const controller = new AbortController();
    const done = this.#run(execution, controller.signal, body).catch((error: unknown) => {
      this.ctx.log.error({ err: error, execution_id: execution.id }, 'execution bookkeeping failed');
    });
    this.#runs.set(execution.id, { controller, done });
  }

  /** Runs a deployment workflow with the workflow runner. */
  readonly #deploymentBody: RunBody = async (execution, signal) => {
    const model = await this.deployments.model(execution.deployment_id ?? '');
    await this.ctx.runner.run({
      execution,
      model,
      parameters: execution.parameters,
      instances: this.ctx.store.engineInstances?.(execution.deployment_id ?? '') ?? instanceStore(this.ctx.store),
      executions: executionStore(this.ctx.store, this.ctx.now),
      events: this.ctx.events,
      blueprintDir: this.ctx.files.dir(execution.blueprint_id ?? ''),
      signal,
    });
  };

  async #run(execution: ExecutionRecord, signal: AbortSignal, body: RunBody): Promise<void> {
    // Let `start` return the pending record before the run changes it.
    await Promise.resolve();
    const current = await this.get(execution.id);
    if (current.status === 'cancelling' || current.status === 'force_cancelling') {
      await this.#finish(execution.id, 'cancelled', '');
      return;
    }
    if (current.status !== 'pending') {
      this.#runs.delete(execution.id);
      return;
    }
    await this.ctx.store.executions.update(execution.id, { status: 'started' });
    const log = this.ctx.log.child({ execution_id: execution.id, workflow_id: execution.workflow_id });
    log.info('execution started');
    try {
      await body({ ...execution, status: 'started' }, signal);
      if (signal.aborted) await this.#afterAbort(execution.id, signal);
      else await this.#finish(execution.id, 'terminated', '');
    } catch (error) {
      if (signal.aborted) await this.#afterAbort(execution.id, signal);
      else await this.#finish(execution.id, 'failed', describeError(error));
    }
    log.info('execution ended');
  }

  async #afterAbort(id: string, signal: AbortSignal): Promise<void> {
    // A shutdown is not a user's cancel: whatever the runner recorded, it ends failed.
    if (signal.reason === 'shutdown') await this.#finish(id, 'failed', shutdownInterruptedError, true);
    else await this.#finish(id, 'cancelled', '');
  }

  /** Records the end status unless one is recorded already (`override`: even then). */
  async #finish(id: string, status: ExecutionStatus, error: string, override = false): Promise<void> {
    if (!this.#runs.has(id)) return;
    this.#runs.delete(id);
    await this.ctx.events.flush();
    const current = await this.ctx.store.executions.get(id);
    if (!current || (endStates.includes(current.status) && !override)) return;
    await this.ctx.store.executions.update(id, { status, error });
  }
}

/** Error text stored on a failed execution: the message, then its causes. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}
