/** `nova_plugin.server.connect_security_group` / `disconnect_security_group` (source = server, target = group), done on the server's ports. */
import type { OpenStackClient } from './api/client.js';
import { asText, externalId, relationshipEnds, type RelationshipEnds } from './context.js';
import { clientFor, type OsOperation } from './env.js';

type Json = Record<string, unknown>;

async function updateGroups(
  ends: RelationshipEnds,
  client: OpenStackClient,
  change: (groups: string[], groupId: string) => string[],
): Promise<void> {
  const serverId = externalId(ends.source.instance, 'server');
  const groupId = externalId(ends.target.instance, 'security_group');
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
  const ends = relationshipEnds(ctx, 'server.connect_security_group', null);
  if (!ends) return;
  await updateGroups(ends, clientFor(ctx, inputs, env), (groups, id) => [...groups, id]);
  ctx.logger.info(
    `Connected security group ${asText(ends.target.instance.runtimeProperties.external_id)} to the server's ports`,
  );
};

export const disconnectServerSecurityGroup: OsOperation = async (ctx, inputs, env) => {
  const ends = relationshipEnds(ctx, 'server.disconnect_security_group', null);
  if (!ends) return;
  await updateGroups(ends, clientFor(ctx, inputs, env), (groups) => groups);
  ctx.logger.info(
    `Disconnected security group ${asText(ends.target.instance.runtimeProperties.external_id)} from the server's ports`,
  );
};
