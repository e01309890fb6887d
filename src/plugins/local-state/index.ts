/** The local deployment state store (cfy local, and cfy bootstrap's manager deployment). */
export {
  LocalStateStore,
  type LocalStateData,
  type CreateLocalStateOptions,
} from './local-state-store.js';
export { LocalInstanceStoreAdapter, type StoredNodeInstance } from './instance-store.js';
export { LocalExecutionStoreAdapter } from './execution-store.js';
export { interruptedMessage } from './reconcile.js';
export { localScaleServices } from './scale.js';
