/**
 * Workaround, until the plugin operation context exposes `ctx.instance.relationships`: wraps the
 * OpenStack plugin's tasks so that each operation sees the relationships of its instance (type,
 * target node, target instance with fresh runtime properties), read through a lookup the caller
 * provides (the CLI builds it over the manager deployment's local state). Remove once
 * `prepareOperationContext` fills `instance.relationships` itself.
 */
import type { OperationContext } from '../../context/operation-context.js';
import type { PluginFunction } from '../../registry.js';
import { openstackOperations, type OsRelationship } from '../openstack/index.js';

/** Relationships of a node instance, seen from it (the source). */
export type RelationshipLookup = (instanceId: string) => Promise<OsRelationship[]>;

/** The OpenStack tasks with `instance.relationships` filled from `lookup`. */
export function openstackTasksWithRelationships(lookup: RelationshipLookup): Record<string, PluginFunction> {
  const tasks: Record<string, PluginFunction> = {};
  for (const [name, operation] of Object.entries(openstackOperations)) {
    tasks[name] = async (ctx: OperationContext, inputs: Record<string, unknown>) => {
      const own = ctx.instance;
      const relationships = await lookup(own.id);
      const instance = {
        id: own.id,
        hostIp: own.hostIp,
        relationships,
        get runtimeProperties(): Record<string, unknown> {
          return own.runtimeProperties;
        },
        set runtimeProperties(value: Record<string, unknown>) {
          own.runtimeProperties = value;
        },
      };
      await operation({ ...ctx, instance }, inputs, {});
      return undefined;
    };
  }
  return tasks;
}
