/**
 * Between the planned {@link DeploymentModel} and stored records: split a plan into
 * deployment/node/node-instance records, and rebuild the model from them for a workflow run.
 */
import type { DeploymentModel, PluginSpec } from '../../plan/model.js';
import type { DeploymentRecord, NodeInstanceRecord, NodeRecord } from '../store/records.js';
import { restRelationships } from '../store/records.js';

export interface DeploymentRecords {
  deployment: DeploymentRecord;
  nodes: NodeRecord[];
  instances: NodeInstanceRecord[];
}

/** Splits a planned model into the records the store keeps. */
export function recordsFromModel(
  id: string,
  blueprintId: string,
  model: DeploymentModel,
  now: string,
): DeploymentRecords {
  const deployment: DeploymentRecord = {
    id,
    blueprint_id: blueprintId,
    created_at: now,
    updated_at: now,
    description: model.description,
    inputs: model.inputs,
    outputs: model.outputs,
    workflows: model.workflows,
    groups: model.groups,
    policies: model.policies,
  };
  const nodes = model.nodes.map((n): NodeRecord => {
    const count = model.nodeInstances.filter((i) => i.nodeId === n.id).length;
    return {
      id: n.id,
      deployment_id: id,
      blueprint_id: blueprintId,
      type: n.type,
      type_hierarchy: n.typeHierarchy,
      number_of_instances: count,
      planned_number_of_instances: count,
      deploy_number_of_instances: n.deployInstances,
      host_id: n.hostId,
      properties: n.properties,
      operations: n.operations,
      relationships: n.relationships,
      plugins: n.plugins,
    };
  });
  const instances = model.nodeInstances.map(
    (i): NodeInstanceRecord => ({
      id: i.id,
      node_id: i.nodeId,
      deployment_id: id,
      host_id: i.hostId,
      state: 'uninitialized',
      runtime_properties: {},
      version: 1,
      relationships: restRelationships(i.relationships),
    }),
  );
  return { deployment, nodes, instances };
}

/** Rebuilds the model a workflow runs on from stored records (instances as they are now). */
export function modelFromRecords(records: DeploymentRecords): DeploymentModel {
  const plugins = new Map<string, PluginSpec>();
  for (const n of records.nodes) for (const p of n.plugins) plugins.set(p.name, p);
  return {
    inputs: records.deployment.inputs,
    description: records.deployment.description,
    outputs: records.deployment.outputs,
    workflows: records.deployment.workflows,
    groups: records.deployment.groups,
    policies: records.deployment.policies,
    plugins: [...plugins.values()],
    nodes: records.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      typeHierarchy: n.type_hierarchy,
      properties: n.properties,
      operations: n.operations,
      relationships: n.relationships,
      hostId: n.host_id,
      plugins: n.plugins,
      deployInstances: n.deploy_number_of_instances,
    })),
    nodeInstances: records.instances.map((i) => ({
      id: i.id,
      nodeId: i.node_id,
      hostId: i.host_id,
      relationships: i.relationships.map((r) => ({ type: r.type, targetId: r.target_id, targetName: r.target_name })),
    })),
  };
}
