/** `nova_plugin.server.*` (spec §5.4, §5.5). */
import { NonRecoverableError, RecoverableError } from '../../../core/index.js';
import type { OpenStackClient } from './api/client.js';
import { isNotFound } from './api/errors.js';
import {
  argsInput,
  asText,
  clearResource,
  connectedOfType,
  externalId,
  isExternal,
  objectProperty,
  resourceName,
  singleConnected,
  type OsContext,
} from './context.js';
import { clientFor, type OsOperation } from './env.js';
import { KINDS, createResource, findByNameOrId, useExternalIfSet } from './resources.js';

type Json = Record<string, unknown>;
const RUNTIME = ['networks', 'ip'];

async function resolveRef(
  client: OpenStackClient,
  path: 'images' | 'flavors',
  ref: string,
): Promise<string> {
  const single = path === 'images' ? 'image' : 'flavor';
  try {
    const got = await client.get<Json>('compute', `/${path}/${encodeURIComponent(ref)}`);
    if (got[single]) return ref;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const listed = ((await client.get<Json>('compute', `/${path}/detail`))[path] as Json[]).filter(
    (i) => i.name === ref,
  );
  const first = listed[0];
  if (!first) throw new NonRecoverableError(`${single} ${ref} does not exist`);
  return asText(first.id);
}

/** `nova_plugin.server.create`: NICs from management network, connected networks and ports; keypair from relationship. */
export const createServer: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (await useExternalIfSet(ctx, client, KINDS.server)) return;
  const spec: Json = { ...objectProperty(ctx.node, 'server'), ...argsInput(inputs) };
  const image = asText(ctx.node.properties.image) || asText(spec.image);
  const flavor = asText(ctx.node.properties.flavor) || asText(spec.flavor);
  if (image === '' || flavor === '')
    throw new NonRecoverableError(
      `Server ${ctx.node.id} needs an image and a flavor (properties image/flavor or server.image/server.flavor)`,
    );
  const body: Json = {
    name: resourceName(ctx, 'server'),
    imageRef: await resolveRef(client, 'images', image),
    flavorRef: await resolveRef(client, 'flavors', flavor),
  };
  const metadata: Record<string, string> = {
    ...((spec.meta ?? spec.metadata ?? {}) as Record<string, string>),
  };

  const nics: Json[] = [];
  const managementName = asText(ctx.node.properties.management_network_name);
  let managementId: string | undefined;
  if (managementName !== '') {
    const networks = (
      await client.get<Json>('network', `/networks?name=${encodeURIComponent(managementName)}`)
    ).networks as Json[];
    managementId = asText(networks.find((n) => n.name === managementName)?.id);
    if (managementId === '')
      throw new NonRecoverableError(`Management network ${managementName} does not exist`);
    metadata.cloudify_management_network_id = managementId;
    metadata.cloudify_management_network_name = managementName;
  }
  const ports = connectedOfType(ctx, 'port').map((t) => externalId(t.instance, 'port'));
  const portNetworks = new Set<string>();
  for (const portId of ports) {
    const port = (await client.get<Json>('network', `/ports/${portId}`)).port as Json;
    portNetworks.add(asText(port.network_id));
  }
  if (managementId && !portNetworks.has(managementId)) nics.push({ uuid: managementId });
  for (const network of connectedOfType(ctx, 'network')) {
    const id = externalId(network.instance, 'network');
    if (id !== managementId && !portNetworks.has(id)) nics.push({ uuid: id });
  }
  for (const portId of ports) nics.push({ port: portId });
  if (nics.length > 0) body.networks = nics;

  const keypair = singleConnected(ctx, 'keypair');
  if (keypair && spec.key_name !== undefined)
    throw new NonRecoverableError(
      `Server ${ctx.node.id} has both server.key_name and a server_connected_to_keypair relationship`,
    );
  if (keypair) body.key_name = externalId(keypair.instance, 'keypair');
  else if (spec.key_name !== undefined) body.key_name = spec.key_name;
  const userData = spec.userdata ?? spec.user_data;
  if (typeof userData === 'string' && userData !== '')
    body.user_data = Buffer.from(userData).toString('base64');
  for (const key of ['security_groups', 'availability_zone'] as const)
    if (spec[key] !== undefined) body[key] = spec[key];
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  await createResource(ctx, client, KINDS.server, body);
};

/** `ip` and `networks` runtime properties from an ACTIVE server (`ip`: first on the management network, else first fixed). */
function recordAddresses(ctx: OsContext, server: Json): void {
  const addresses = (server.addresses ?? {}) as Record<
    string,
    { addr: string; 'OS-EXT-IPS:type'?: string }[]
  >;
  const networks: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(addresses)) networks[name] = list.map((a) => a.addr);
  ctx.instance.runtimeProperties.networks = networks;
  const fixed = (name: string): string | undefined =>
    addresses[name]?.find((a) => a['OS-EXT-IPS:type'] !== 'floating')?.addr;
  const management = asText(ctx.node.properties.management_network_name);
  const ip =
    (management !== '' ? fixed(management) : undefined) ??
    Object.keys(addresses)
      .map(fixed)
      .find((a) => a !== undefined);
  if (ip !== undefined) ctx.instance.runtimeProperties.ip = ip;
}

async function getServer(client: OpenStackClient, id: string): Promise<Json> {
  return (await client.get<Json>('compute', `/servers/${id}`)).server as Json;
}

/** `nova_plugin.server.start`: ACTIVE → record IPs; SHUTOFF → os-start and retry; BUILD → retry after start_retry_interval. */
export const startServer: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  const id = externalId(ctx.instance, 'server');
  const server = await getServer(client, id);
  const status = asText(server.status);
  const task = server['OS-EXT-STS:task_state'];
  const interval =
    typeof inputs.start_retry_interval === 'number' ? inputs.start_retry_interval : 30;
  if (status === 'ACTIVE' && (task === null || task === undefined)) {
    recordAddresses(ctx, server);
    ctx.logger.info(`Server ${id} is running (ip ${asText(ctx.instance.runtimeProperties.ip)})`);
    return;
  }
  if (status === 'SHUTOFF' && (task === null || task === undefined)) {
    if (isExternal(ctx.node))
      throw new NonRecoverableError(`External server ${id} is shut off; start it yourself`);
    await client.post('compute', `/servers/${id}/action`, { 'os-start': null });
    ctx.operation.retry(`Starting server ${id}; waiting for it to become ACTIVE`, interval);
  }
  if (
    status === 'BUILD' ||
    task === 'powering-on' ||
    task === 'spawning' ||
    task === 'scheduling'
  ) {
    ctx.operation.retry(
      `Waiting for server to be in ACTIVE state but is in ${status}:${asText(task)} state. Retrying...`,
      interval,
    );
  }
  throw new NonRecoverableError(`Unexpected server state ${status}:${asText(task)}`);
};

/** `nova_plugin.server.stop`: os-stop unless already SHUTOFF. A server that no longer exists is an error. */
export const stopServer: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (isExternal(ctx.node)) {
    ctx.logger.info('Not stopping server since an external server is being used');
    return;
  }
  const id = externalId(ctx.instance, 'server');
  const server = await getServer(client, id);
  if (server.status === 'SHUTOFF') {
    ctx.logger.info(`Server ${id} is already stopped`);
    return;
  }
  await client.post('compute', `/servers/${id}/action`, { 'os-stop': null });
  ctx.logger.info(`Stopping server ${id}`);
};

/** `nova_plugin.server.delete`: DELETE, then poll every poll_interval (5 s) up to delete_timeout (120 s) for 404. */
export const deleteServer: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  const id = externalId(ctx.instance, 'server');
  if (!isExternal(ctx.node)) {
    await client.delete('compute', `/servers/${id}`);
    try {
      await client.poll(
        async () => {
          try {
            await getServer(client, id);
            return undefined;
          } catch (error) {
            if (isNotFound(error)) return true;
            throw error;
          }
        },
        client.config.pollInterval * 1000,
        client.config.deleteTimeout * 1000,
        `server ${id} to be deleted`,
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'OpenStackTimeoutError')
        throw new RecoverableError(`Server ${id} is still being deleted: ${error.message}`);
      throw error;
    }
    ctx.logger.info(`Deleted server ${id}`);
  }
  clearResource(ctx, RUNTIME);
};

/** `nova_plugin.server.creation_validation`: image and flavor exist. */
export const validateServer: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  if (isExternal(ctx.node)) {
    if (!(await findByNameOrId(client, KINDS.server, asText(ctx.node.properties.resource_id))))
      throw new NonRecoverableError(
        `External server ${asText(ctx.node.properties.resource_id)} does not exist`,
      );
    return;
  }
  const spec = objectProperty(ctx.node, 'server');
  const image = asText(ctx.node.properties.image) || asText(spec.image);
  const flavor = asText(ctx.node.properties.flavor) || asText(spec.flavor);
  if (image !== '') await resolveRef(client, 'images', image);
  if (flavor !== '') await resolveRef(client, 'flavors', flavor);
};
