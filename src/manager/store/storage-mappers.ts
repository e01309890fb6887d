/** Record mappers between src/storage's camelCase records and the manager's REST records. */
import type { StorageRecords } from './storage-types.js';
import type {
  BlueprintRecord,
  DeploymentRecord,
  ExecutionRecord,
  NodeInstanceRecord,
  NodeRecord,
  PluginRecord,
} from './records.js';

type S = StorageRecords;

export const blueprint = {
  toRest: (r: S['blueprint']): BlueprintRecord => ({
    id: r.id, created_at: r.createdAt, updated_at: r.updatedAt, main_file_name: r.mainFileName, description: r.description, plan: r.plan,
  }),
  toStorage: (r: BlueprintRecord): S['blueprint'] => ({
    id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, mainFileName: r.main_file_name, description: r.description, plan: r.plan,
  }),
};

export const deployment = {
  toRest: (r: S['deployment']): DeploymentRecord => ({
    id: r.id,
    blueprint_id: r.blueprintId,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    description: r.description,
    inputs: r.inputs,
    outputs: r.outputs as DeploymentRecord['outputs'],
    workflows: r.workflows as DeploymentRecord['workflows'],
    groups: r.groups as DeploymentRecord['groups'],
    policies: r.policies as DeploymentRecord['policies'],
  }),
  toStorage: (r: DeploymentRecord): S['deployment'] => ({
    id: r.id,
    blueprintId: r.blueprint_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    description: r.description,
    inputs: r.inputs,
    outputs: r.outputs,
    workflows: r.workflows,
    groups: r.groups,
    policies: r.policies,
    scalingGroups: {},
  }),
};

export const node = {
  toRest: (r: S['node']): NodeRecord => ({
    id: r.id,
    deployment_id: r.deploymentId,
    blueprint_id: r.blueprintId,
    type: r.type,
    type_hierarchy: r.model.typeHierarchy,
    number_of_instances: r.numberOfInstances,
    planned_number_of_instances: r.plannedNumberOfInstances,
    deploy_number_of_instances: r.model.deployInstances,
    host_id: r.hostId,
    properties: r.model.properties,
    operations: r.model.operations,
    relationships: r.model.relationships,
    plugins: r.model.plugins,
  }),
  toStorage: (r: NodeRecord): S['node'] => ({
    id: r.id,
    deploymentId: r.deployment_id,
    blueprintId: r.blueprint_id,
    type: r.type,
    hostId: r.host_id,
    numberOfInstances: r.number_of_instances,
    plannedNumberOfInstances: r.planned_number_of_instances,
    model: {
      id: r.id,
      type: r.type,
      typeHierarchy: r.type_hierarchy,
      properties: r.properties,
      operations: r.operations,
      relationships: r.relationships,
      hostId: r.host_id,
      plugins: r.plugins,
      deployInstances: r.deploy_number_of_instances,
    },
  }),
};

export const instance = {
  toRest: (r: S['nodeInstance']): NodeInstanceRecord => ({
    id: r.id,
    node_id: r.nodeId,
    deployment_id: r.deploymentId,
    host_id: r.hostId,
    state: r.state,
    runtime_properties: r.runtimeProperties,
    version: r.version,
    relationships: r.relationships.map((x) => ({ type: x.type, target_id: x.targetId, target_name: x.targetName })),
  }),
  toStorage: (r: NodeInstanceRecord): S['nodeInstance'] => ({
    id: r.id,
    nodeId: r.node_id,
    deploymentId: r.deployment_id,
    hostId: r.host_id,
    state: r.state,
    runtimeProperties: r.runtime_properties,
    version: r.version,
    relationships: r.relationships?.map((x) => ({ type: x.type, targetId: x.target_id, targetName: x.target_name })),
  }),
};

export const execution = {
  toRest: (r: S['execution']): ExecutionRecord => ({
    id: r.id,
    status: r.status,
    deployment_id: r.deploymentId,
    workflow_id: r.workflowId,
    blueprint_id: r.blueprintId,
    created_at: r.createdAt,
    error: r.error ?? '',
    parameters: r.parameters,
    is_system_workflow: r.isSystemWorkflow,
  }),
  toStorage: (r: ExecutionRecord): S['execution'] => ({
    id: r.id,
    status: r.status,
    deploymentId: r.deployment_id,
    workflowId: r.workflow_id,
    blueprintId: r.blueprint_id,
    createdAt: r.created_at,
    error: r.error === '' ? null : r.error,
    parameters: r.parameters,
    isSystemWorkflow: r.is_system_workflow,
    startedAt: null,
    endedAt: null,
  }),
};

export const plugin = (r: S['plugin']): PluginRecord => ({
  id: r.id,
  package_name: r.packageName,
  package_version: r.packageVersion,
  archive_name: r.archiveName,
  supported_platform: r.supportedPlatform,
  distribution: r.distribution,
  distribution_release: r.distributionRelease,
  uploaded_at: r.uploadedAt,
});

