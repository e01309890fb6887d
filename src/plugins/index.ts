/**
 * Plugins: the operation context (`ctx`), the plugin registry, the in-process dispatcher, the
 * built-in plugins (script with its ctx proxy, diamond no-ops) and the local state store.
 */
export type {
  OperationContext,
  NodeContext,
  InstanceContext,
  EntityContext,
  RelationshipContext,
  OperationInfo,
  OperationContextDeps,
  PreparedContext,
} from './context/operation-context.js';
export { prepareOperationContext, logContext } from './context/operation-context.js';
export type { OperationLogger } from './context/logger.js';
export { createOperationLogger } from './context/logger.js';
export { FolderResourcesAdapter, type BlueprintResourcesPort } from './context/resources.js';
export { getByPath, setByPath, deleteByPath } from './context/dict-path.js';
export { PluginRegistry, type PluginFunction } from './registry.js';
export {
  InProcessDispatcherAdapter,
  mapOperationError,
  type DeploymentPorts,
  type InProcessDispatcherOptions,
} from './dispatcher.js';
export { registerBuiltinPlugins } from './builtin/index.js';
export {
  runScript,
  ScriptFailedError,
  ctxBinDir,
  pythonPackageDir,
  scriptPluginName,
  scriptPluginTasks,
} from './builtin/script/index.js';
export {
  LocalStateStore,
  LocalInstanceStoreAdapter,
  LocalExecutionStoreAdapter,
  localScaleServices,
  interruptedMessage,
  type LocalStateData,
  type CreateLocalStateOptions,
  type StoredNodeInstance,
} from './local-state/index.js';
