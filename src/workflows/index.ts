/**
 * Built-in workflows (install, uninstall, execute_operation, scale, heal) and the workflow
 * context custom workflows are written against, on top of src/engine.
 */
export * from './run-workflow.js';
export * from './registry.js';
export * from './workflow-context.js';
export * from './task-builder.js';
export * from './model-index.js';
export * from './lifecycle.js';
export * from './instance-sequences.js';
export { createInputResolver, hasRuntimeFunctions } from './runtime-inputs.js';
export { healSubgraph } from './builtin/heal.js';
export { filterInstances, type ExecuteOperationParameters } from './builtin/execute-operation.js';
