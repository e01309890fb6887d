/** `neutron_plugin.port.*` and `neutron_plugin.floatingip.*` (spec §5.2, §5.3, §5.5). */
import { NonRecoverableError } from '../../../core/index.js';
import { isNotFound } from './api/errors.js';
import {
  EXTERNAL_ID,
  argsInput,
  asText,
  externalId,
  isExternal,
  objectProperty,
  relationshipEnds,
  relationshipSides,
  resourceName,
  setResource,
  singleConnected,
} from './context.js';
import { clientFor, type OsOperation } from './env.js';
import { KINDS, createResource, deleteResource, useExternalIfSet } from './resources.js';

type Json = Record<string, unknown>;

/** `neutron_plugin.port.create`: on the connected network, optional `fixed_ip` and connected subnet; no security groups yet. */
export const createPort: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  const network = singleConnected(ctx, 'network');
  const external = await useExternalIfSet(ctx, client, KINDS.port);
  if (external) {
    if (network && external.network_id !== externalId(network.instance, 'network')) {
      throw new NonRecoverableError(
        `External port ${asText(external.id)} is not on the connected network ${externalId(network.instance, 'network')}`,
      );
    }
    ctx.instance.runtimeProperties.fixed_ip_address = firstFixedIp(external);
    return;
  }
  if (!network)
    throw new NonRecoverableError(
      `Port ${ctx.node.id} must be contained in (or connected to) a network node`,
    );
  const fixedIp = asText(ctx.node.properties.fixed_ip);
  const subnet = singleConnected(ctx, 'subnet');
  const fixed: Json = {};
  if (fixedIp !== '') fixed.ip_address = fixedIp;
  if (subnet) fixed.subnet_id = externalId(subnet.instance, 'subnet');
  const body: Json = {
    ...objectProperty(ctx.node, 'port'),
    ...argsInput(inputs),
    name: resourceName(ctx, 'port'),
    network_id: externalId(network.instance, 'network'),
    security_groups: [],
  };
  if (Object.keys(fixed).length > 0) body.fixed_ips = [fixed];
  const port = await createResource(ctx, client, KINDS.port, body);
  ctx.instance.runtimeProperties.fixed_ip_address = firstFixedIp(port);
};

function firstFixedIp(port: Json): string {
  const ips = port.fixed_ips as { ip_address: string }[] | undefined;
  return ips?.[0]?.ip_address ?? '';
}

/** `neutron_plugin.port.delete`: a port already gone (with its device) only clears runtime properties. */
export const deletePort: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.port, ['fixed_ip_address']);

/**
 * `neutron_plugin.port.detach` (source unlink of server_connected_to_port; source = server,
 * target = port): waits (retry after 10 s) while a floating IP is still associated with the
 * server's ports, then clears the port's device_id / device_owner.
 */
export const detachPort: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(
    ctx,
    'port.detach',
    'Not detaching port from server since external port and server are being used',
  );
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const portId = externalId(ends.target.instance, 'port');
  const serverId = asText(ends.source.instance.runtimeProperties[EXTERNAL_ID]);
  const ports =
    serverId === ''
      ? []
      : ((await client.get<Json>('network', `/ports?device_id=${encodeURIComponent(serverId)}`))
          .ports as Json[]);
  const portIds = new Set([portId, ...ports.map((p) => asText(p.id))]);
  const fips = ((await client.get<Json>('network', '/floatingips')).floatingips as Json[]).filter(
    (f) => portIds.has(asText(f.port_id)),
  );
  const first = fips[0];
  if (first) {
    ctx.operation.retry(
      `Waiting for the floating ip ${asText(first.floating_ip_address)} to detach from server ${serverId}..`,
      10,
    );
  }
  ctx.logger.info(`Detaching port ${portId}...`);
  try {
    await client.put('network', `/ports/${portId}`, { port: { device_id: '', device_owner: '' } });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    ctx.logger.info(`Port ${portId} is already gone`);
    return;
  }
  ctx.logger.info(`Successfully detached port ${portId}`);
};

/** `neutron_plugin.port.connect_security_group` (source = port, target = security group): read-modify-write of the port's groups. */
export const connectSecurityGroup: OsOperation = async (ctx, inputs, env) => {
  const { source, target } = relationshipSides(ctx, 'port.connect_security_group');
  const client = clientFor(ctx, inputs, env);
  const portId = externalId(source.instance, 'port');
  const groupId = externalId(target.instance, 'security_group');
  const port = (await client.get<Json>('network', `/ports/${portId}`)).port as Json;
  const groups = ((port.security_groups as string[] | undefined) ?? []).filter(
    (g) => g !== groupId,
  );
  await client.put('network', `/ports/${portId}`, {
    port: { security_groups: [...groups, groupId] },
  });
  ctx.logger.info(`Connected security group ${groupId} to port ${portId}`);
};

/** `neutron_plugin.floatingip.create`: from `floatingip.floating_network_id` or `floating_network_name`. External: by address. */
export const createFloatingIp: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (isExternal(ctx.node)) {
    const address = asText(ctx.node.properties.resource_id);
    const all = (
      await client.get<Json>(
        'network',
        `/floatingips?floating_ip_address=${encodeURIComponent(address)}`,
      )
    ).floatingips as Json[];
    const found = all.find((f) => f.floating_ip_address === address || f.id === address);
    if (!found)
      throw new NonRecoverableError(
        `External floating IP ${address} does not exist (use_external_resource is true)`,
      );
    setResource(
      ctx,
      KINDS.floatingIp.type,
      asText(found.id),
      asText(found.floating_ip_address),
      true,
    );
    ctx.instance.runtimeProperties.floating_ip_address = found.floating_ip_address;
    ctx.logger.info(`Using external resource floatingip: ${address}`);
    return;
  }
  const { floating_network_name: networkName, ...spec } = {
    ...objectProperty(ctx.node, 'floatingip'),
    ...argsInput(inputs),
  };
  if (spec.floating_network_id === undefined) {
    if (typeof networkName !== 'string' || networkName === '') {
      throw new NonRecoverableError(
        `FloatingIP ${ctx.node.id} needs floatingip.floating_network_id or floatingip.floating_network_name`,
      );
    }
    const networks = (
      await client.get<Json>('network', `/networks?name=${encodeURIComponent(networkName)}`)
    ).networks as Json[];
    const network = networks.find((n) => n.name === networkName);
    if (!network) throw new NonRecoverableError(`Floating network ${networkName} does not exist`);
    spec.floating_network_id = network.id;
  }
  const created = (await client.post<Json>('network', '/floatingips', { floatingip: spec }))
    .floatingip as Json;
  setResource(
    ctx,
    KINDS.floatingIp.type,
    asText(created.id),
    asText(created.floating_ip_address),
    false,
  );
  ctx.instance.runtimeProperties.floating_ip_address = created.floating_ip_address;
  ctx.logger.info(
    `Floating IP creation response: ${asText(created.floating_ip_address)} (${asText(created.id)})`,
  );
};

/** `neutron_plugin.floatingip.delete`. */
export const deleteFloatingIp: OsOperation = async (ctx, inputs, env) =>
  deleteResource(ctx, clientFor(ctx, inputs, env), KINDS.floatingIp, ['floating_ip_address']);

/** `neutron_plugin.floatingip.connect_port` (source = port, target = floating IP). */
export const connectPort: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(ctx, 'floatingip.connect_port', null);
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const portId = externalId(ends.source.instance, 'port');
  const fipId = externalId(ends.target.instance, 'floatingip');
  await client.put('network', `/floatingips/${fipId}`, { floatingip: { port_id: portId } });
  ctx.logger.info(`Associated floating IP ${fipId} with port ${portId}`);
};

/** `neutron_plugin.floatingip.disconnect_port`. */
export const disconnectPort: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(
    ctx,
    'floatingip.disconnect_port',
    'Not disassociating floatingip and port since external floatingip and port are being used',
  );
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const fipId = externalId(ends.target.instance, 'floatingip');
  try {
    await client.put('network', `/floatingips/${fipId}`, { floatingip: { port_id: null } });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  ctx.logger.info(`Disassociated floating IP ${fipId}`);
};
