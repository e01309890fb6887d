/** Graph queries over a deployment model, for workflows (heal, scale, uninstall ordering). */
import { CONTAINED_IN } from './instances.js';
import type {
  DeploymentModel,
  NodeInstanceModel,
  NodeModel,
  RelationshipInstance,
  RelationshipModel,
} from './model.js';

/** Lookup tables over a model's nodes and instances. Build once, query many times. */
export class DeploymentGraph {
  readonly nodes = new Map<string, NodeModel>();
  readonly instances = new Map<string, NodeInstanceModel>();
  readonly #byNode = new Map<string, NodeInstanceModel[]>();
  readonly #contained = new Map<string, NodeInstanceModel[]>();
  readonly #incoming = new Map<
    string,
    { source: NodeInstanceModel; relationship: RelationshipInstance }[]
  >();

  constructor(model: Pick<DeploymentModel, 'nodes'>, instances: readonly NodeInstanceModel[]) {
    for (const n of model.nodes) {
      this.nodes.set(n.id, n);
      this.#byNode.set(n.id, []);
    }
    for (const i of instances) {
      this.instances.set(i.id, i);
      this.#byNode.get(i.nodeId)?.push(i);
    }
    for (const i of instances) {
      const container = this.containerOf(i);
      if (container !== null) {
        const list = this.#contained.get(container) ?? [];
        list.push(i);
        this.#contained.set(container, list);
      }
      for (const r of i.relationships) {
        const list = this.#incoming.get(r.targetId) ?? [];
        list.push({ source: i, relationship: r });
        this.#incoming.set(r.targetId, list);
      }
    }
  }

  /** Instances of a node (planning order). */
  instancesOf(nodeId: string): NodeInstanceModel[] {
    return this.#byNode.get(nodeId) ?? [];
  }

  /** The node model of an instance's relationship instance. */
  relationshipModel(
    instance: NodeInstanceModel,
    relationship: RelationshipInstance,
  ): RelationshipModel | undefined {
    return this.nodes
      .get(instance.nodeId)
      ?.relationships.find(
        (r) => r.type === relationship.type && r.targetId === relationship.targetName,
      );
  }

  /** Id of the instance `instance` is contained in, or null. */
  containerOf(instance: NodeInstanceModel): string | null {
    for (const r of instance.relationships) {
      if (this.relationshipModel(instance, r)?.typeHierarchy.includes(CONTAINED_IN))
        return r.targetId;
    }
    return null;
  }

  /** Instances directly contained in `instanceId`. */
  containedIn(instanceId: string): NodeInstanceModel[] {
    return this.#contained.get(instanceId) ?? [];
  }

  /** `instanceId` and every instance contained in it, transitively (Cloudify's get_contained_subgraph). */
  containedSubgraph(instanceId: string): NodeInstanceModel[] {
    const root = this.instances.get(instanceId);
    if (!root) return [];
    const out: NodeInstanceModel[] = [root];
    for (let i = 0; i < out.length; i++) out.push(...this.containedIn(out[i]!.id));
    return out;
  }

  /** Relationship instances whose target is `instanceId`, with their source instance. */
  relationshipsTo(
    instanceId: string,
  ): { source: NodeInstanceModel; relationship: RelationshipInstance }[] {
    return this.#incoming.get(instanceId) ?? [];
  }
}
