/**
 * The workflow engine: task graphs, scheduling with a thread-pool limit, retries (spec §4.5),
 * cancellation, persistence of executions and task attempts, and Cloudify event documents.
 * It knows no workflow; src/workflows builds graphs on it.
 */
export type * from './ports.js';
export * from './execution-status.js';
export type * from './execution-store.js';
export * from './in-memory-execution-store.js';
export * from './in-memory-instance-store.js';
export * from './retry-policy.js';
export * from './event-builders.js';
export * from './event-format.js';
export * from './execution-events.js';
export * from './task-graph.js';
export * from './scheduler.js';
export * from './attempt-executor.js';
export * from './errors.js';
export * from './execution.js';
