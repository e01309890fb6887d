/** The storage types the adapter maps from (one place to switch to src/storage's index). */
import type {
  BlueprintRecord,
  DeploymentRecord,
  ExecutionRecord,
  JsonObject,
  NodeInstanceRecord,
  NodeRecord,
  PluginRecord,
} from '../../storage/index.js';

export type { StoragePort } from '../../storage/index.js';
export type { JsonObject };

/** src/storage's record types, by name. */
export interface StorageRecords {
  blueprint: BlueprintRecord;
  deployment: DeploymentRecord;
  node: NodeRecord;
  nodeInstance: NodeInstanceRecord;
  execution: ExecutionRecord;
  plugin: PluginRecord;
}
