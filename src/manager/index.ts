/**
 * The manager: REST API (Cloudify 3.3 shapes under /api/v2), executions run in-process,
 * authentication, and the `cfy-manager` process. See docs/manager.md and docs/rest-api.md.
 */
export { createManager, type Manager, type ManagerDeps } from './app.js';
export { compileManagerConfig, type ManagerOptions, type CompiledManagerConfig } from './config.js';
export { defaultManagerDeps, workflowRunner, dslParser, dslPlanner, type WorkflowRunnerOptions } from './wiring.js';
export { main, runManager, buildManagerProgram } from './main.js';
export { createStorageStore } from './store/storage-store.js';
export { readTarGz, type ArchiveEntry, type ArchiveLimits } from './services/archive-entries.js';
export type { ManagerStorePort, ListQuery, ListResult, EventQuery } from './store/port.js';
export type * from './store/records.js';
export type * from './services/ports.js';
export { ExecutionService, restartInterruptedError, shutdownInterruptedError, type SystemWorkflowBody, type StartExecutionRequest } from './services/executions.js';
export type { ManagerServices } from './services/index.js';
export { toErrorResponse, type ErrorBody } from './http/error-handler.js';
