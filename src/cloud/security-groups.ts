/** Security-group helpers shared by Neutron ports and Nova server create. Groups are recorded, not enforced. */
import type { CloudContext } from './context.js';
import { neutronFault } from './faults.js';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from './state.js';

/** Adds the two allow-all egress rules every new group gets (plus self-ingress for `default`). */
export function addDefaultRules(
  ctx: CloudContext,
  group: SecurityGroupRecord,
  isDefault: boolean,
): void {
  const rule = (
    direction: 'ingress' | 'egress',
    ethertype: 'IPv4' | 'IPv6',
    remoteGroup: string | null,
  ): SecurityGroupRuleRecord => ({
    ...ctx.neutron.base(group.project_id),
    security_group_id: group.id,
    direction,
    ethertype,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: remoteGroup,
  });
  ctx.state.security_group_rules.push(rule('egress', 'IPv4', null), rule('egress', 'IPv6', null));
  if (isDefault)
    ctx.state.security_group_rules.push(
      rule('ingress', 'IPv4', group.id),
      rule('ingress', 'IPv6', group.id),
    );
}

/** The project's `default` group, created on first use. */
export function defaultSecurityGroup(ctx: CloudContext, projectId: string): SecurityGroupRecord {
  const found = ctx.state.security_groups.find(
    (g) => g.name === 'default' && g.project_id === projectId,
  );
  if (found) return found;
  const group: SecurityGroupRecord = {
    ...ctx.neutron.base(projectId, 'Default security group'),
    name: 'default',
    stateful: true,
  };
  ctx.state.security_groups.push(group);
  addDefaultRules(ctx, group, true);
  return group;
}

/** Resolves security-group ids (Neutron) or names-or-ids (Nova); unknown → `notFound(ref)`. */
export function resolveSecurityGroups(
  ctx: CloudContext,
  projectId: string,
  refs: string[],
  byName: boolean,
  notFound: (ref: string) => Error,
): string[] {
  const ids: string[] = [];
  for (const ref of refs) {
    if (ref === 'default' && byName) {
      ids.push(defaultSecurityGroup(ctx, projectId).id);
      continue;
    }
    const group =
      ctx.state.security_groups.find((g) => g.id === ref) ??
      (byName
        ? ctx.state.security_groups.find((g) => g.name === ref && g.project_id === projectId)
        : undefined);
    if (!group) throw notFound(ref);
    if (!ids.includes(group.id)) ids.push(group.id);
  }
  return ids;
}

/** The Neutron 404 for an unknown group. */
export function securityGroupNotFound(id: string): Error {
  return neutronFault(404, 'SecurityGroupNotFound', `Security group ${id} does not exist`);
}
