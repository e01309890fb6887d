/**
 * The part of Cloudify's `ctx` the OpenStack operations use. The plugin-wide OperationContext
 * satisfies it structurally; `instance.relationships` (Cloudify's `ctx.instance.relationships`:
 * each relationship's type and target node/instance) is read when the context provides it.
 */
import { NonRecoverableError } from '../../../core/index.js';

export interface OsNode {
  readonly id: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface OsInstance {
  readonly id: string;
  runtimeProperties: Record<string, unknown>;
}

/** One relationship of the current instance, seen from its source. */
export interface OsRelationship {
  readonly type: string;
  /** The relationship type and its ancestors (optional; `type` alone is matched otherwise). */
  readonly typeHierarchy?: readonly string[];
  readonly target: { readonly node: OsNode; readonly instance: OsInstance };
}

export interface OsLogger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** What an OpenStack operation needs from `ctx`. */
export interface OsContext {
  readonly node: OsNode;
  readonly instance: OsInstance & { readonly relationships?: readonly OsRelationship[] };
  readonly source: { readonly node: OsNode; readonly instance: OsInstance } | null;
  readonly target: { readonly node: OsNode; readonly instance: OsInstance } | null;
  readonly deploymentId: string;
  readonly operation: {
    readonly retryNumber: number;
    retry(message?: string, retryAfter?: number): never;
  };
  readonly logger: OsLogger;
}

/** Runtime property keys (Cloudify's openstack_plugin_common names). */
export const EXTERNAL_ID = 'external_id';
export const EXTERNAL_TYPE = 'external_type';
export const EXTERNAL_NAME = 'external_name';
export const EXTERNAL_RESOURCE = 'external_resource';

/** Relationships of `ctx.instance` (empty, with a warning, when the context does not expose them). */
export function relationshipsOf(ctx: OsContext): readonly OsRelationship[] {
  if (ctx.instance.relationships === undefined) {
    ctx.logger.warning(
      `The operation context of ${ctx.instance.id} does not expose instance.relationships: connected networks, subnets, ports and keypairs are not visible to this OpenStack operation`,
    );
    return [];
  }
  return ctx.instance.relationships;
}

/** Targets of relationships whose target has `external_type === type` (e.g. 'network', 'port'). */
export function connectedOfType(ctx: OsContext, type: string): OsRelationship['target'][] {
  return relationshipsOf(ctx)
    .map((r) => r.target)
    .filter((t) => t.instance.runtimeProperties[EXTERNAL_TYPE] === type);
}

/** The single connected target of a type, or undefined; more than one is a blueprint error. */
export function singleConnected(
  ctx: OsContext,
  type: string,
): OsRelationship['target'] | undefined {
  const found = connectedOfType(ctx, type);
  if (found.length > 1)
    throw new NonRecoverableError(
      `Node ${ctx.node.id} is connected to ${found.length} ${type}s; expected at most one`,
    );
  return found[0];
}

/** The `external_id` runtime property of an instance, or a NonRecoverableError. */
export function externalId(instance: OsInstance, what: string): string {
  const id = instance.runtimeProperties[EXTERNAL_ID];
  if (typeof id !== 'string' || id === '')
    throw new NonRecoverableError(
      `${what} ${instance.id} has no ${EXTERNAL_ID} runtime property (was it created?)`,
    );
  return id;
}

/** `use_external_resource` of a node. */
export function isExternal(node: OsNode): boolean {
  return node.properties.use_external_resource === true;
}

/** A relationship is external only when both ends are (plugin 1.3 `is_external_relationship`). */
export function isExternalRelationship(ctx: OsContext): boolean {
  return (
    ctx.source !== null &&
    ctx.target !== null &&
    isExternal(ctx.source.node) &&
    isExternal(ctx.target.node)
  );
}

/** Both ends of a relationship operation. */
export interface RelationshipEnds {
  readonly source: { readonly node: OsNode; readonly instance: OsInstance };
  readonly target: { readonly node: OsNode; readonly instance: OsInstance };
}

/** The ends of a relationship operation; a NonRecoverableError naming `task` when `ctx` is not one. */
export function relationshipSides(ctx: OsContext, task: string): RelationshipEnds {
  if (!ctx.source || !ctx.target) throw new NonRecoverableError(`${task} runs on a relationship`);
  return { source: ctx.source, target: ctx.target };
}

/**
 * The guard of the relationship operations: the ends (as `relationshipSides`), or null when both
 * ends are external resources (plugin 1.3 `is_external_relationship`: nothing to do), after
 * logging `skipMessage` when there is one.
 */
export function relationshipEnds(
  ctx: OsContext,
  task: string,
  skipMessage: string | null,
): RelationshipEnds | null {
  const ends = relationshipSides(ctx, task);
  if (!isExternalRelationship(ctx)) return ends;
  if (skipMessage !== null) ctx.logger.info(skipMessage);
  return null;
}

/** `resource_id`, else `<type>_<deployment>_<instance>`. */
export function resourceName(ctx: OsContext, type: string): string {
  const id = ctx.node.properties.resource_id;
  return typeof id === 'string' && id !== ''
    ? id
    : `${type}_${ctx.deploymentId}_${ctx.instance.id}`;
}

/** Records the resource in runtime properties. */
export function setResource(
  ctx: OsContext,
  type: string,
  id: string,
  name: string,
  external: boolean,
): void {
  const rp = ctx.instance.runtimeProperties;
  rp[EXTERNAL_ID] = id;
  rp[EXTERNAL_TYPE] = type;
  rp[EXTERNAL_NAME] = name;
  rp[EXTERNAL_RESOURCE] = external;
}

/** Clears the runtime properties an operation set (after delete). */
export function clearResource(ctx: OsContext, extra: readonly string[] = []): void {
  for (const key of [EXTERNAL_ID, EXTERNAL_TYPE, EXTERNAL_NAME, EXTERNAL_RESOURCE, ...extra])
    delete ctx.instance.runtimeProperties[key];
}

/** A node property that must be a plain object (e.g. `server`, `port`), or `{}`. */
export function objectProperty(node: OsNode, key: string): Record<string, unknown> {
  const value = node.properties[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

/** The `args` operation input as an object. */
export function argsInput(inputs: Record<string, unknown>): Record<string, unknown> {
  const args = inputs.args;
  return typeof args === 'object' && args !== null && !Array.isArray(args)
    ? { ...(args as Record<string, unknown>) }
    : {};
}

/** A JSON value as text: strings as they are, null/undefined as '', others as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
