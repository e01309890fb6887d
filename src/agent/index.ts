/** The agent: the process that runs host operations for the manager (see docs/agent.md). */
export * from './agent.js';
export * from './task-ledger.js';
export * from './config.js';
export * from './version.js';
export { createPluginExecutor } from './default-executor.js';
export * from './installer/index.js';
export { snapshotPorts, type SnapshotPorts } from './context-ports.js';
