/** The plan stage: Blueprint + inputs -> DeploymentModel, runtime functions, scaling, graph queries. */
export type * from './model.js';
export { planDeployment, planInstances, type PlanOptions } from './plan.js';
export { resolveInputs, type InputsResult } from './inputs.js';
export {
  evaluateRuntimeFunctions,
  evaluateOutputs,
  type RuntimeContext,
  type RuntimePropertiesLookup,
} from './runtime.js';
export {
  planScale,
  type ScaleOptions,
  type ScaleResult,
  type RelationshipChange,
} from './scale.js';
export { DeploymentGraph } from './graph.js';
export { containerNodeId, isCompute, CONTAINED_IN, COMPUTE } from './instances.js';
export { findOperation } from './operations.js';
export { reassignInstanceIds } from './reassign-ids.js';
