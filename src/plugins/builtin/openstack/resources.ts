/** Lookups and generic create/delete used by every OpenStack resource operation. */
import { NonRecoverableError } from '../../../core/index.js';
import type { OpenStackClient, Service } from './api/client.js';
import { isNotFound } from './api/errors.js';
import {
  asText,
  clearResource,
  isExternal,
  resourceName,
  setResource,
  type OsContext,
} from './context.js';

type Json = Record<string, unknown>;

/** How a Neutron/Nova resource type is addressed. */
export interface ResourceKind {
  /** external_type value, e.g. `network`. */
  type: string;
  service: Service;
  /** Collection path, e.g. `/networks`. */
  path: string;
  /** Singular body key, e.g. `network`. */
  single: string;
  /** Plural body key, e.g. `networks`. */
  plural: string;
}

export const KINDS = {
  network: {
    type: 'network',
    service: 'network',
    path: '/networks',
    single: 'network',
    plural: 'networks',
  },
  subnet: {
    type: 'subnet',
    service: 'network',
    path: '/subnets',
    single: 'subnet',
    plural: 'subnets',
  },
  port: { type: 'port', service: 'network', path: '/ports', single: 'port', plural: 'ports' },
  router: {
    type: 'router',
    service: 'network',
    path: '/routers',
    single: 'router',
    plural: 'routers',
  },
  securityGroup: {
    type: 'security_group',
    service: 'network',
    path: '/security-groups',
    single: 'security_group',
    plural: 'security_groups',
  },
  floatingIp: {
    type: 'floatingip',
    service: 'network',
    path: '/floatingips',
    single: 'floatingip',
    plural: 'floatingips',
  },
  server: {
    type: 'server',
    service: 'compute',
    path: '/servers',
    single: 'server',
    plural: 'servers',
  },
} as const satisfies Record<string, ResourceKind>;

/** Finds a resource by id, else by name (several with the name is an error). */
export async function findByNameOrId(
  client: OpenStackClient,
  kind: ResourceKind,
  ref: string,
): Promise<Json | undefined> {
  try {
    const got = await client.get<Json>(kind.service, `${kind.path}/${encodeURIComponent(ref)}`);
    const item = got[kind.single];
    if (item && typeof item === 'object') return item as Json;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const listPath = kind.service === 'compute' ? `${kind.path}/detail` : kind.path;
  const listed = await client.get<Json>(
    kind.service,
    `${listPath}?name=${encodeURIComponent(ref)}`,
  );
  const items = ((listed[kind.plural] as Json[] | undefined) ?? []).filter((i) => i.name === ref);
  if (items.length > 1)
    throw new NonRecoverableError(
      `Several ${kind.type}s are named ${ref}; use its id as resource_id`,
    );
  return items[0];
}

/**
 * The `use_external_resource` half of a create: when set, looks the resource up by `resource_id`,
 * records it and returns it; otherwise returns undefined and the caller creates.
 */
export async function useExternalIfSet(
  ctx: OsContext,
  client: OpenStackClient,
  kind: ResourceKind,
): Promise<Json | undefined> {
  if (!isExternal(ctx.node)) return undefined;
  const ref = ctx.node.properties.resource_id;
  if (typeof ref !== 'string' || ref === '')
    throw new NonRecoverableError(
      `Node ${ctx.node.id} sets use_external_resource but no resource_id`,
    );
  const found = await findByNameOrId(client, kind, ref);
  if (!found)
    throw new NonRecoverableError(
      `External resource ${kind.type} ${ref} does not exist (use_external_resource is true)`,
    );
  setResource(ctx, kind.type, asText(found.id), asText(found.name) || ref, true);
  ctx.logger.info(`Using external resource ${kind.type}: ${ref}`);
  return found;
}

/** Creates `{single: body}` and records it. */
export async function createResource(
  ctx: OsContext,
  client: OpenStackClient,
  kind: ResourceKind,
  body: Json,
): Promise<Json> {
  const created = (await client.post<Json>(kind.service, kind.path, { [kind.single]: body }))[
    kind.single
  ] as Json;
  const name = asText(created.name) || asText(body.name);
  setResource(ctx, kind.type, asText(created.id), name, false);
  ctx.logger.info(`Created ${kind.type} ${name} (${asText(created.id)})`);
  return created;
}

/** Deletes the recorded resource (a 404 is fine) unless it is external; clears runtime properties. */
export async function deleteResource(
  ctx: OsContext,
  client: OpenStackClient,
  kind: ResourceKind,
  extra: readonly string[] = [],
): Promise<void> {
  const id = ctx.instance.runtimeProperties.external_id;
  if (!isExternal(ctx.node) && typeof id === 'string' && id !== '') {
    try {
      await client.delete(kind.service, `${kind.path}/${id}`);
      ctx.logger.info(`Deleted ${kind.type} ${id}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      ctx.logger.info(`${kind.type} ${id} was already gone`);
    }
  } else if (isExternal(ctx.node)) {
    ctx.logger.info(`Not deleting external ${kind.type} ${asText(id)}`);
  }
  clearResource(ctx, extra);
}

/** `resource_id` or the generated name. */
export { resourceName };
