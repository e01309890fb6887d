/** `neutron_plugin.network.*`, `subnet.*`, `router.*`, `security_group.*` (plugin 1.3 semantics, §5.1). */
import { NonRecoverableError } from '../../../core/index.js';
import { isNotFound } from './api/errors.js';
import {
  argsInput,
  asText,
  externalId,
  isExternal,
  objectProperty,
  relationshipEnds,
  resourceName,
  singleConnected,
  type OsContext,
} from './context.js';
import { clientFor, type OsOperation } from './env.js';
import {
  KINDS,
  createResource,
  deleteResource,
  findByNameOrId,
  useExternalIfSet,
} from './resources.js';

/** `neutron_plugin.network.create`. */
export const createNetwork: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (await useExternalIfSet(ctx, client, KINDS.network)) return;
  await createResource(ctx, client, KINDS.network, {
    admin_state_up: true,
    ...objectProperty(ctx.node, 'network'),
    ...argsInput(inputs),
    name: resourceName(ctx, 'network'),
  });
};

/** `neutron_plugin.network.delete`. */
export const deleteNetwork: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.network);

/** `neutron_plugin.subnet.create`: on the network this subnet is contained in / connected to. */
export const createSubnet: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (await useExternalIfSet(ctx, client, KINDS.subnet)) return;
  const network = singleConnected(ctx, 'network');
  if (!network)
    throw new NonRecoverableError(
      `Subnet ${ctx.node.id} must be contained in (or connected to) a network node`,
    );
  await createResource(ctx, client, KINDS.subnet, {
    ip_version: 4,
    ...objectProperty(ctx.node, 'subnet'),
    ...argsInput(inputs),
    name: resourceName(ctx, 'subnet'),
    network_id: externalId(network.instance, 'network'),
  });
};

/** `neutron_plugin.subnet.delete`. */
export const deleteSubnet: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.subnet);

/** `neutron_plugin.router.create`: gateway on `external_network` (name or id) or a connected external network. */
export const createRouter: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (await useExternalIfSet(ctx, client, KINDS.router)) return;
  const body: Record<string, unknown> = {
    ...objectProperty(ctx.node, 'router'),
    ...argsInput(inputs),
    name: resourceName(ctx, 'router'),
  };
  const externalRef = asText(ctx.node.properties.external_network);
  const connected = singleConnected(ctx, 'network');
  let networkId: string | undefined;
  if (externalRef !== '') {
    const found = await findByNameOrId(client, KINDS.network, externalRef);
    if (!found)
      throw new NonRecoverableError(
        `External network ${externalRef} of router ${ctx.node.id} does not exist`,
      );
    networkId = asText(found.id);
  } else if (connected) networkId = externalId(connected.instance, 'network');
  if (networkId !== undefined && body.external_gateway_info === undefined)
    body.external_gateway_info = { network_id: networkId };
  await createResource(ctx, client, KINDS.router, body);
};

/** `neutron_plugin.router.delete`. */
export const deleteRouter: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.router);

/** Logged by connect_subnet and disconnect_subnet when both ends are external (the plugin's own words). */
const NOT_CONNECTING_SUBNET =
  'Not connecting subnet and router since external subnet and router are being used';

/** `neutron_plugin.router.connect_subnet` (target side of subnet_connected_to_router: source = subnet, target = router). */
export const connectSubnet: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(ctx, 'router.connect_subnet', NOT_CONNECTING_SUBNET);
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const subnetId = externalId(ends.source.instance, 'subnet');
  const routerId = externalId(ends.target.instance, 'router');
  await client.put('network', `/routers/${routerId}/add_router_interface`, { subnet_id: subnetId });
  ctx.logger.info(`Connected subnet ${subnetId} to router ${routerId}`);
};

/** `neutron_plugin.router.disconnect_subnet`. */
export const disconnectSubnet: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(ctx, 'router.disconnect_subnet', NOT_CONNECTING_SUBNET);
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const subnetId = externalId(ends.source.instance, 'subnet');
  const routerId = externalId(ends.target.instance, 'router');
  try {
    await client.put('network', `/routers/${routerId}/remove_router_interface`, {
      subnet_id: subnetId,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  ctx.logger.info(`Disconnected subnet ${subnetId} from router ${routerId}`);
};

interface RuleSpec {
  port?: number;
  port_range_min?: number;
  port_range_max?: number;
  remote_ip_prefix?: string;
  protocol?: string;
  direction?: string;
  ethertype?: string;
  remote_group_id?: string;
}

/** `neutron_plugin.security_group.create`: group + `rules` (a `port` shortcut sets min = max). */
export const createSecurityGroup: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (await useExternalIfSet(ctx, client, KINDS.securityGroup)) return;
  const spec = objectProperty(ctx.node, 'security_group');
  const description =
    asText(spec.description ?? ctx.node.properties.description) ||
    `Security group of ${ctx.node.id}`;
  const group = await createResource(ctx, client, KINDS.securityGroup, {
    ...spec,
    ...argsInput(inputs),
    name: resourceName(ctx, 'security_group'),
    description,
  });
  const groupId = asText(group.id);
  if (ctx.node.properties.disable_default_egress_rules === true) {
    for (const rule of (group.security_group_rules as
      { id: string; direction: string }[] | undefined) ?? []) {
      if (rule.direction === 'egress')
        await client.delete('network', `/security-group-rules/${rule.id}`);
    }
  }
  const rules = Array.isArray(ctx.node.properties.rules)
    ? (ctx.node.properties.rules as RuleSpec[])
    : [];
  for (const rule of rules) {
    const { port, ...rest } = rule;
    const body: Record<string, unknown> = {
      direction: 'ingress',
      protocol: 'tcp',
      ...rest,
      security_group_id: groupId,
    };
    if (port !== undefined) {
      body.port_range_min = port;
      body.port_range_max = port;
    }
    if (body.remote_ip_prefix === undefined && body.remote_group_id === undefined)
      body.remote_ip_prefix = '0.0.0.0/0';
    await client.post('network', '/security-group-rules', { security_group_rule: body });
  }
};

/** `neutron_plugin.security_group.delete`. */
export const deleteSecurityGroup: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.securityGroup);

/** The `creation_validation` operations: check the external resource exists when one is used. */
export function creationValidation(kind: (typeof KINDS)[keyof typeof KINDS]): OsOperation {
  return async (ctx: OsContext, inputs, env) => {
    if (!isExternal(ctx.node)) return;
    const ref = asText(ctx.node.properties.resource_id);
    const found = await findByNameOrId(clientFor(ctx, inputs, env), kind, ref);
    if (!found)
      throw new NonRecoverableError(
        `External resource ${kind.type} ${ref} does not exist (use_external_resource is true)`,
      );
  };
}
