/** `nova_plugin.server.connect_security_group` / `disconnect_security_group` (source = server, target = group), done on the server's ports. */
import { NonRecoverableError } from '../../../core/index.js';
import type { OpenStackClient } from './api/client.js';
import { asText, externalId, isExternalRelationship, type OsContext } from './context.js';
import { clientFor, type OsOperation } from './env.js';

type Json = Record<string, unknown>;

async function updateGroups(
  ctx: OsContext,
  client: OpenStackClient,
  change: (groups: string[], groupId: string) => string[],
): Promise<void> {
  if (!ctx.source || !ctx.target)
    throw new NonRecoverableError('server security-group operations run on a relationship');
  const serverId = externalId(ctx.source.instance, 'server');
  const groupId = externalId(ctx.target.instance, 'security_group');
  const ports = (
    await client.get<Json>('network', `/ports?device_id=${encodeURIComponent(serverId)}`)
  ).ports as Json[];
  for (const port of ports) {
    const groups = change(
      ((port.security_groups as string[] | undefined) ?? []).filter((g) => g !== groupId),
      groupId,
    );
    await client.put('network', `/ports/${asText(port.id)}`, { port: { security_groups: groups } });
  }
}

export const connectServerSecurityGroup: OsOperation = async (ctx, inputs, env) => {
  if (isExternalRelationship(ctx)) return;
  await updateGroups(ctx, clientFor(ctx, inputs, env), (groups, id) => [...groups, id]);
  ctx.logger.info(
    `Connected security group ${asText(ctx.target?.instance.runtimeProperties.external_id)} to the server's ports`,
  );
};

export const disconnectServerSecurityGroup: OsOperation = async (ctx, inputs, env) => {
  if (isExternalRelationship(ctx)) return;
  await updateGroups(ctx, clientFor(ctx, inputs, env), (groups) => groups);
  ctx.logger.info(
    `Disconnected security group ${asText(ctx.target?.instance.runtimeProperties.external_id)} from the server's ports`,
  );
};
