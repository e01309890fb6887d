/** `nova_plugin.server.connect_floatingip` / `disconnect_floatingip` (source = server, target = floating IP), through Neutron. */
import { NonRecoverableError } from '../../../core/index.js';
import type { OpenStackClient } from './api/client.js';
import { isNotFound } from './api/errors.js';
import {
  EXTERNAL_ID,
  asText,
  externalId,
  isExternalRelationship,
  relationshipEnds,
  relationshipSides,
} from './context.js';
import { clientFor, type OsOperation } from './env.js';

type Json = Record<string, unknown>;

/** The server's port holding `fixedIp` (or its first port). */
async function serverPort(
  client: OpenStackClient,
  serverId: string,
  fixedIp: string,
): Promise<Json> {
  const ports = (
    await client.get<Json>('network', `/ports?device_id=${encodeURIComponent(serverId)}`)
  ).ports as Json[];
  const port =
    fixedIp === ''
      ? ports[0]
      : ports.find((p) =>
          (p.fixed_ips as { ip_address: string }[]).some((f) => f.ip_address === fixedIp),
        );
  if (!port)
    throw new NonRecoverableError(
      fixedIp === ''
        ? `Server ${serverId} has no port to associate a floating IP with`
        : `Server ${serverId} has no port with fixed IP ${fixedIp}`,
    );
  return port;
}

/** `nova_plugin.server.connect_floatingip` (source = server, target = floating IP), verified afterwards (CFY-4663). */
export const connectFloatingIp: OsOperation = async (ctx, inputs, env) => {
  const { source, target } = relationshipSides(ctx, 'server.connect_floatingip');
  const client = clientFor(ctx, inputs, env);
  const serverId = externalId(source.instance, 'server');
  const fipId = externalId(target.instance, 'floatingip');
  const fixedIp = asText(inputs.fixed_ip);
  const port = await serverPort(client, serverId, fixedIp);
  const current = (await client.get<Json>('network', `/floatingips/${fipId}`)).floatingip as Json;
  if (isExternalRelationship(ctx)) {
    if (current.port_id !== port.id)
      throw new NonRecoverableError(
        `Expected external floating IP ${asText(current.floating_ip_address)} to be associated with external server ${serverId}`,
      );
    return;
  }
  const body: Json = { port_id: port.id };
  if (fixedIp !== '') body.fixed_ip_address = fixedIp;
  const updated = (await client.put<Json>('network', `/floatingips/${fipId}`, { floatingip: body }))
    .floatingip as Json;
  if (updated.port_id !== port.id)
    ctx.operation.retry(
      `Floating IP ${asText(updated.floating_ip_address)} is not yet associated with server ${serverId}`,
      10,
    );
  ctx.logger.info(
    `Associated floating IP ${asText(updated.floating_ip_address)} with server ${serverId} (fixed IP ${asText(updated.fixed_ip_address)})`,
  );
};

/** `nova_plugin.server.disconnect_floatingip`. */
export const disconnectFloatingIp: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(
    ctx,
    'server.disconnect_floatingip',
    'Not disassociating floatingip and server since external floatingip and server are being used',
  );
  if (!ends) return;
  const client = clientFor(ctx, inputs, env);
  const fipId = asText(ends.target.instance.runtimeProperties[EXTERNAL_ID]);
  if (fipId === '') return;
  try {
    await client.put('network', `/floatingips/${fipId}`, { floatingip: { port_id: null } });
    ctx.logger.info(
      `Disassociated floating IP ${fipId} from server ${asText(ends.source.instance.runtimeProperties[EXTERNAL_ID])}`,
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
};
