/**
 * Lookups over a DeploymentModel that the workflows need: src/plan's {@link DeploymentGraph}
 * (nodes, instances, containment, incoming relationships) plus workflow-only questions (is it a
 * host, agent install method, plugins to install). Built once per model.
 */
import { UserError, notFound } from '../core/index.js';
import { COMPUTE, CONTAINED_IN, DeploymentGraph } from '../plan/index.js';
import type { DeploymentModel, NodeInstanceModel, NodeModel, PluginSpec, RelationshipInstance, RelationshipModel } from '../plan/index.js';

/** Agent install method of a host (`none`, `remote`, `init_script`, `provided`): `none` skips every agent step. */
export type InstallMethod = string;

/** Indexed, read-only view of a deployment model. */
export class ModelIndex {
  readonly model: DeploymentModel;
  readonly graph: DeploymentGraph;
  #sources: Map<string, NodeInstanceModel[]> | null = null;
  #hostedPlugins: Map<string, PluginSpec[]> | null = null;
  readonly #relationshipOps = new Map<string, ReadonlySet<string>>();

  constructor(model: DeploymentModel) {
    this.model = model;
    this.graph = new DeploymentGraph(model, model.nodeInstances);
  }

  /** The node template; `not_found_error` when unknown. */
  node(nodeId: string): NodeModel {
    const node = this.graph.nodes.get(nodeId);
    if (node === undefined) throw notFound('Node', nodeId);
    return node;
  }

  /** True when the deployment has this node. */
  hasNode(nodeId: string): boolean {
    return this.graph.nodes.has(nodeId);
  }

  /** The node instance; `not_found_error` when unknown. */
  instance(instanceId: string): NodeInstanceModel {
    const instance = this.graph.instances.get(instanceId);
    if (instance === undefined) throw notFound('Node instance', instanceId);
    return instance;
  }

  /** The instance or undefined. */
  findInstance(instanceId: string): NodeInstanceModel | undefined {
    return this.graph.instances.get(instanceId);
  }

  /** The relationship template a relationship instance of `source` was planned from. */
  relationshipModel(source: NodeInstanceModel, rel: RelationshipInstance): RelationshipModel {
    const found = this.graph.relationshipModel(source, rel);
    if (found === undefined) {
      throw new UserError('relationship_not_found_error', `Node ${source.nodeId} has no ${rel.type} relationship to ${rel.targetName}`, {
        details: { nodeId: source.nodeId, type: rel.type, targetId: rel.targetName },
        hints: ['the node instances do not match the node templates; re-plan the deployment'],
      });
    }
    return found;
  }

  /** True when some relationship of the node has operation `name` on either side (cached per node). */
  hasRelationshipOperation(nodeId: string, name: string): boolean {
    let names = this.#relationshipOps.get(nodeId);
    if (names === undefined) {
      const all = new Set<string>();
      for (const rel of this.node(nodeId).relationships) {
        for (const [op, spec] of Object.entries(rel.sourceOperations)) if (spec.operation !== '') all.add(op);
        for (const [op, spec] of Object.entries(rel.targetOperations)) if (spec.operation !== '') all.add(op);
      }
      this.#relationshipOps.set(nodeId, (names = all));
    }
    return names.has(name);
  }

  /** True when the relationship instance is (derived from) `cloudify.relationships.contained_in`. */
  isContainedIn(source: NodeInstanceModel, rel: RelationshipInstance): boolean {
    return rel.type === CONTAINED_IN || this.relationshipModel(source, rel).typeHierarchy.includes(CONTAINED_IN);
  }

  /** True when the node is a host (a Compute: its own host). */
  isHost(node: NodeModel): boolean {
    return node.hostId === node.id || node.typeHierarchy.includes(COMPUTE);
  }

  /** Distinct instances with a relationship (of any type) to `instanceId`. */
  sources(instanceId: string): readonly NodeInstanceModel[] {
    this.#sources ??= new Map();
    let list = this.#sources.get(instanceId);
    if (list === undefined) {
      list = [...new Set(this.graph.relationshipsTo(instanceId).map((r) => r.source))];
      this.#sources.set(instanceId, list);
    }
    return list;
  }

  /** `instance` plus every instance contained in it, transitively (Cloudify's `get_contained_subgraph`). */
  containedSubgraph(instanceId: string): NodeInstanceModel[] {
    this.instance(instanceId);
    return this.graph.containedSubgraph(instanceId);
  }

  /** The agent install method of a host node (`install_agent: false` means `none`). */
  installMethod(node: NodeModel): InstallMethod {
    const props = node.properties;
    if (props['install_agent'] === false) return 'none';
    if (props['install_agent'] === true) return 'remote';
    const fromConfig = (key: string): unknown => {
      const config = props[key];
      return typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['install_method'] : undefined;
    };
    const method = fromConfig('agent_config') ?? fromConfig('cloudify_agent');
    return typeof method === 'string' ? method : 'remote';
  }

  /** Plugins to install on a host's agent: `install: true` host_agent plugins of nodes it hosts. */
  pluginsToInstall(hostNodeId: string): PluginSpec[] {
    if (this.#hostedPlugins === null) {
      const byHost = new Map<string, Map<string, PluginSpec>>();
      for (const node of this.model.nodes) {
        if (node.hostId === null) continue;
        for (const plugin of node.plugins) {
          if (!plugin.install || plugin.executor !== 'host_agent') continue;
          let plugins = byHost.get(node.hostId);
          if (plugins === undefined) byHost.set(node.hostId, (plugins = new Map<string, PluginSpec>()));
          plugins.set(plugin.name, plugin);
        }
      }
      this.#hostedPlugins = new Map([...byHost].map(([host, plugins]) => [host, [...plugins.values()]]));
    }
    return this.#hostedPlugins.get(hostNodeId) ?? [];
  }
}

const indexes = new WeakMap<DeploymentModel, ModelIndex>();

/** The (cached) index of a model. Models are treated as immutable. */
export function indexModel(model: DeploymentModel): ModelIndex {
  let index = indexes.get(model);
  if (index === undefined) indexes.set(model, (index = new ModelIndex(model)));
  return index;
}
