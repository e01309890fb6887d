/** Deployment creation (planning), listing, deletion and outputs. */
import { conflict, notFound } from '../../core/index.js';
import { evaluateOutputs, reassignInstanceIds, type DeploymentModel } from '../../plan/index.js';
import { badParameters, dependentExists } from '../errors.js';
import type { ListQuery, ListResult } from '../store/port.js';
import { activeStates, type DeploymentRecord, type NodeInstanceRecord, type NodeRecord } from '../store/records.js';
import { isoNow, type ServiceContext } from './context.js';
import { modelFromRecords, recordsFromModel, type DeploymentRecords } from './deployment-model.js';
import { checkResourceId } from './ids.js';

const all = { offset: 0, size: 100_000 } as const;
/** Node-instance states that count as "not live" for deletion. */
const deadStates = ['uninitialized', 'deleted'];

export class DeploymentService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(id: string): Promise<DeploymentRecord> {
    const record = await this.ctx.store.deployments.get(id);
    if (!record) throw notFound('Deployment', id);
    return record;
  }

  list(query: ListQuery): Promise<ListResult<DeploymentRecord>> {
    return this.ctx.store.deployments.list(query);
  }

  /** Plans the deployment from its blueprint and stores deployment, nodes and node instances. */
  async create(id: string, blueprintId: string, inputs: unknown): Promise<DeploymentRecord> {
    checkResourceId('Deployment', id);
    if (inputs !== undefined && (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs))) {
      throw badParameters('inputs must be an object (a dict of input name to value)', { inputs });
    }
    const blueprint = await this.ctx.store.blueprints.get(blueprintId);
    if (!blueprint) throw notFound('Blueprint', blueprintId);
    if ((await this.ctx.store.deployments.get(id)) !== undefined) throw conflict('Deployment', id);
    const planned = await this.ctx.planner.plan({
      dir: this.ctx.files.dir(blueprintId),
      mainFile: blueprint.main_file_name,
      deploymentId: id,
      inputs: (inputs ?? {}) as Record<string, unknown>,
    });
    const model = await this.withFreeInstanceIds(planned);
    const records = recordsFromModel(id, blueprintId, model, isoNow(this.ctx));
    await this.ctx.store.deployments.insert(records.deployment);
    try {
      await this.ctx.store.nodes.insertMany(records.nodes);
      await this.ctx.store.nodeInstances.insertMany(records.instances);
    } catch (error) {
      await this.removeChildren(id);
      await this.ctx.store.deployments.delete(id);
      throw error;
    }
    return records.deployment;
  }

  /** Everything stored about a deployment. */
  /** Node-instance ids are global: rename the planned instances whose ids another deployment holds. */
  private async withFreeInstanceIds(model: DeploymentModel): Promise<DeploymentModel> {
    for (;;) {
      const taken = new Set<string>();
      for (const instance of model.nodeInstances) {
        if ((await this.ctx.store.nodeInstances.get(instance.id)) !== undefined) taken.add(instance.id);
      }
      if (taken.size === 0) return model;
      model = reassignInstanceIds(model, taken);
    }
  }

  async records(id: string): Promise<DeploymentRecords> {
    const deployment = await this.get(id);
    const nodes = await this.nodes(id);
    const instances = await this.instances(id);
    return { deployment, nodes, instances };
  }

  async model(id: string): Promise<ReturnType<typeof modelFromRecords>> {
    return modelFromRecords(await this.records(id));
  }

  async nodes(id: string): Promise<NodeRecord[]> {
    return (await this.ctx.store.nodes.list({ ...all, filter: { deployment_id: id } })).items;
  }

  async instances(id: string): Promise<NodeInstanceRecord[]> {
    return (await this.ctx.store.nodeInstances.list({ ...all, filter: { deployment_id: id } })).items;
  }

  /** `{deployment_id, outputs}` with outputs evaluated against the current runtime properties. */
  async outputs(id: string): Promise<{ deployment_id: string; outputs: Record<string, unknown> }> {
    const records = await this.records(id);
    const runtime = new Map(records.instances.map((i) => [i.id, i.runtime_properties]));
    return { deployment_id: id, outputs: evaluateOutputs(modelFromRecords(records), (instanceId) => runtime.get(instanceId)) };
  }

  /** Deletes a deployment without running executions; live node instances need `ignoreLiveNodes`. */
  async delete(id: string, ignoreLiveNodes: boolean): Promise<DeploymentRecord> {
    const deployment = await this.get(id);
    const running = await this.ctx.store.executions.list({ ...all, filter: { deployment_id: id, status: activeStates } });
    if (running.total > 0) {
      const ids = running.items.map((e) => e.id);
      throw dependentExists(
        `Can't delete deployment ${id} - There are running executions for this deployment. Running executions ids: ${ids.join(',')}`,
        { executions: ids },
        ['Wait for them to end or cancel them'],
      );
    }
    if (!ignoreLiveNodes) {
      const live = (await this.instances(id)).filter((i) => !deadStates.includes(i.state)).map((i) => i.id);
      if (live.length > 0) {
        throw dependentExists(
          `Can't delete deployment ${id} - There are live nodes for this deployment. Live nodes ids: ${live.join(',')}`,
          { live_nodes: live },
          ['Run the uninstall workflow first, or pass ignore_live_nodes=true'],
        );
      }
    }
    await this.removeChildren(id);
    await this.ctx.store.deployments.delete(id);
    return deployment;
  }

  private async removeChildren(id: string): Promise<void> {
    const executions = await this.ctx.store.executions.list({ ...all, filter: { deployment_id: id } });
    for (const e of executions.items) await this.ctx.store.executions.delete(e.id);
    await this.ctx.store.nodeInstances.deleteByDeployment(id);
    await this.ctx.store.nodes.deleteByDeployment(id);
  }
}
