/** What every service gets: storage, files, ports to dsl/plan/workflows, time, logger. */
import type { Logger } from 'pino';
import type { ManagerStorePort } from '../store/port.js';
import type { BlueprintFiles } from './blueprint-files.js';
import type { EventBatcher } from './event-batcher.js';
import type { BlueprintParserPort, DeploymentPlannerPort, WorkflowRunnerPort } from './ports.js';

export interface ServiceContext {
  store: ManagerStorePort;
  files: BlueprintFiles;
  parser: BlueprintParserPort;
  planner: DeploymentPlannerPort;
  runner: WorkflowRunnerPort;
  events: EventBatcher;
  now: () => Date;
  log: Logger;
  /** Most executions active at once (manager-wide). */
  maxParallelExecutions: number;
}

/** ISO time of `now()`. */
export function isoNow(ctx: Pick<ServiceContext, 'now'>): string {
  return ctx.now().toISOString();
}
