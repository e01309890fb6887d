/**
 * Seeds a manager data dir for the snapshot chaos script and benchmark: blueprints (rows and
 * files), deployments x node instances with runtime properties, executions (one still started),
 * events, agents. Writes in large batches.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventDocument } from '../src/core/index.js';
import type { StoragePort } from '../src/storage/index.js';

export interface SeedSize {
  blueprints: number;
  deployments: number;
  instancesPerDeployment: number;
  events: number;
}

const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/** Fills `storage` and `<dataDir>/blueprints` with `size` worth of records. */
export async function seedSnapshotData(storage: StoragePort, dataDir: string, size: SeedSize): Promise<void> {
  for (let b = 0; b < size.blueprints; b++) {
    const id = `bp${b}`;
    await storage.blueprints.create({ id, mainFileName: 'blueprint.yaml', description: `blueprint ${b}`, plan: { node_templates: [{ id: 'vm', type: 'cloudify.nodes.Compute' }] }, createdAt: at(b), updatedAt: at(b) });
    mkdirSync(join(dataDir, 'blueprints', id, 'scripts'), { recursive: true });
    writeFileSync(join(dataDir, 'blueprints', id, 'blueprint.yaml'), `tosca_definitions_version: cloudify_dsl_1_2\ndescription: blueprint ${b}\n`);
    writeFileSync(join(dataDir, 'blueprints', id, 'scripts', 'create.sh'), '#!/bin/sh\necho create\n'.repeat(20));
    writeFileSync(join(dataDir, 'blueprints', `${id}.archive`), Buffer.alloc(2048, b));
  }
  for (let d = 0; d < size.deployments; d++) {
    const id = `dep${d}`;
    const blueprintId = `bp${d % Math.max(1, size.blueprints)}`;
    await storage.transaction(async (tx) => {
      await tx.deployments.create({ id, blueprintId, description: null, inputs: { n: d }, outputs: {}, workflows: { install: { operation: 'install' } }, groups: {}, policies: {}, scalingGroups: {}, createdAt: at(d), updatedAt: at(d) });
      await tx.nodes.create({ deploymentId: id, id: 'vm', blueprintId, type: 'cloudify.nodes.Compute', hostId: 'vm', numberOfInstances: size.instancesPerDeployment, plannedNumberOfInstances: size.instancesPerDeployment, model: { id: 'vm', type: 'cloudify.nodes.Compute', typeHierarchy: ['cloudify.nodes.Root', 'cloudify.nodes.Compute'], properties: {}, operations: {}, relationships: [], hostId: 'vm', plugins: [], deployInstances: size.instancesPerDeployment } });
      await tx.nodeInstances.createMany(
        Array.from({ length: size.instancesPerDeployment }, (_, i) => ({
          id: `vm_${d}_${i}`, deploymentId: id, nodeId: 'vm', hostId: `vm_${d}_${i}`, state: 'started' as const,
          runtimeProperties: { ip: `10.${d % 250}.${i % 250}.1`, cloudify_agent: { name: `vm_${d}_${i}`, broker_ip: '127.0.0.1' } }, version: 3, relationships: [],
        })),
      );
      await tx.executions.create({ id: `ex_${d}`, deploymentId: id, blueprintId, workflowId: 'install', status: d === 0 ? 'started' : 'terminated', error: null, parameters: {}, isSystemWorkflow: false, createdAt: at(d), startedAt: at(d), endedAt: d === 0 ? null : at(d + 1) });
      await tx.agents.create({ name: `vm_${d}_0`, deploymentId: id, nodeInstanceId: `vm_${d}_0`, credentialsHash: `hash${d}`, version: '3.3', lastSeen: at(d), state: 'started', createdAt: at(d) });
    });
  }
  const batch = 10_000;
  for (let start = 0; start < size.events; start += batch) {
    const docs: EventDocument[] = [];
    for (let i = start; i < Math.min(size.events, start + batch); i++) {
      const d = i % Math.max(1, size.deployments);
      const timestamp = at(i);
      docs.push({
        type: 'cloudify_event', event_type: 'task_succeeded', timestamp, '@timestamp': timestamp, message_code: null,
        message: { text: `Task succeeded 'script_runner.tasks.run' ${i}`, arguments: null },
        context: { execution_id: `ex_${d}`, deployment_id: `dep${d}`, blueprint_id: `bp${d % Math.max(1, size.blueprints)}`, workflow_id: 'install', node_name: 'vm', node_id: `vm_${d}_0` },
      });
    }
    await storage.events.append(docs);
  }
}
