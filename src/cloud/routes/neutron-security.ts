/** Neutron security groups and rules (subset §3.7). Recorded and validated, not enforced. */
import type { FastifyInstance } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { neutronFault } from '../faults.js';
import { parseCidr } from '../ip.js';
import { invalid, neutronList, optString, resourceBody, scalarText } from '../neutron-http.js';
import { ruleView, securityGroupView } from '../neutron-views.js';
import {
  addDefaultRules,
  defaultSecurityGroup,
  securityGroupNotFound,
} from '../security-groups.js';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from '../state.js';

type Params = { id: string };
const RULE_ATTRS = [
  'security_group_id',
  'direction',
  'ethertype',
  'protocol',
  'port_range_min',
  'port_range_max',
  'remote_ip_prefix',
  'remote_group_id',
  'description',
  'tenant_id',
  'project_id',
];
/** What makes two rules the same rule (Neutron refuses the second with 409). */
const RULE_IDENTITY = [
  'security_group_id',
  'direction',
  'ethertype',
  'protocol',
  'port_range_min',
  'port_range_max',
  'remote_ip_prefix',
  'remote_group_id',
] as const;
const NAMED_PROTOCOLS = [
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'sctp',
  'gre',
  'esp',
  'ah',
  'ipv6-icmp',
  'vrrp',
];

function portNumber(value: unknown, attr: string): number | null {
  if (value === undefined || value === null) return null;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535)
    return invalid(attr, `'${JSON.stringify(value)}' is not a valid port`);
  return n;
}

export function registerSecurityGroupRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const { neutron, state } = ctx;
  const base = (): string => `${ctx.urls.network}v2.0`;
  const group = (id: string): SecurityGroupRecord => {
    const found = state.security_groups.find((g) => g.id === id);
    if (!found) throw securityGroupNotFound(id);
    return found;
  };

  app.get('/v2.0/security-groups', (request) => {
    defaultSecurityGroup(ctx, tokenOf(request).projectId ?? '');
    return neutronList(
      request,
      'security_groups',
      state.security_groups.map((g) => securityGroupView(neutron, g)),
      base(),
    );
  });
  app.get<{ Params: Params }>('/v2.0/security-groups/:id', (request) => ({
    security_group: securityGroupView(neutron, group(request.params.id)),
  }));
  app.post('/v2.0/security-groups', async (request, reply) => {
    const body = resourceBody(request.body, 'security_group', [
      'name',
      'description',
      'stateful',
      'tenant_id',
      'project_id',
    ]);
    const projectId = tokenOf(request).projectId ?? '';
    const name = optString(body, 'name') ?? '';
    if (name === 'default')
      throw neutronFault(
        409,
        'SecurityGroupDefaultAlreadyExists',
        'Default security group already exists.',
      );
    defaultSecurityGroup(ctx, projectId);
    const created: SecurityGroupRecord = {
      ...neutron.base(projectId, optString(body, 'description')),
      name,
      stateful: body.stateful !== false,
    };
    state.security_groups.push(created);
    addDefaultRules(ctx, created, false);
    await ctx.commit();
    return reply.code(201).send({ security_group: securityGroupView(neutron, created) });
  });
  app.put<{ Params: Params }>('/v2.0/security-groups/:id', async (request) => {
    const found = group(request.params.id);
    const body = resourceBody(request.body, 'security_group', ['name', 'description']);
    found.name = optString(body, 'name') ?? found.name;
    found.description = optString(body, 'description') ?? found.description;
    neutron.touch(found);
    await ctx.commit();
    return { security_group: securityGroupView(neutron, found) };
  });
  app.delete<{ Params: Params }>('/v2.0/security-groups/:id', async (request, reply) => {
    const found = group(request.params.id);
    if (found.name === 'default' || state.ports.some((p) => p.security_groups.includes(found.id))) {
      throw neutronFault(409, 'SecurityGroupInUse', `Security Group ${found.id} in use.`);
    }
    state.security_groups = state.security_groups.filter((g) => g.id !== found.id);
    state.security_group_rules = state.security_group_rules.filter(
      (r) => r.security_group_id !== found.id,
    );
    await ctx.commit();
    return reply.code(204).send();
  });

  app.get('/v2.0/security-group-rules', (request) =>
    neutronList(request, 'security_group_rules', state.security_group_rules.map(ruleView), base()),
  );
  app.get<{ Params: Params }>('/v2.0/security-group-rules/:id', (request) => {
    const rule = state.security_group_rules.find((r) => r.id === request.params.id);
    if (!rule)
      throw neutronFault(
        404,
        'SecurityGroupRuleNotFound',
        `Security group rule ${request.params.id} does not exist`,
      );
    return { security_group_rule: ruleView(rule) };
  });
  app.post('/v2.0/security-group-rules', async (request, reply) => {
    const body = resourceBody(request.body, 'security_group_rule', RULE_ATTRS, [
      'security_group_id',
      'direction',
    ]);
    const owner = group(optString(body, 'security_group_id')!);
    const rule = buildRule(ctx, owner, body);
    const duplicate = state.security_group_rules.find((r) =>
      RULE_IDENTITY.every((k) => r[k] === rule[k]),
    );
    if (duplicate)
      throw neutronFault(
        409,
        'SecurityGroupRuleExists',
        `Security group rule already exists. Rule id is ${duplicate.id}.`,
      );
    state.security_group_rules.push(rule);
    await ctx.commit();
    return reply.code(201).send({ security_group_rule: ruleView(rule) });
  });
  app.delete<{ Params: Params }>('/v2.0/security-group-rules/:id', async (request, reply) => {
    if (!state.security_group_rules.some((r) => r.id === request.params.id)) {
      throw neutronFault(
        404,
        'SecurityGroupRuleNotFound',
        `Security group rule ${request.params.id} does not exist`,
      );
    }
    state.security_group_rules = state.security_group_rules.filter(
      (r) => r.id !== request.params.id,
    );
    await ctx.commit();
    return reply.code(204).send();
  });
}

function buildRule(
  ctx: CloudContext,
  owner: SecurityGroupRecord,
  body: Record<string, unknown>,
): SecurityGroupRuleRecord {
  const direction = optString(body, 'direction');
  if (direction !== 'ingress' && direction !== 'egress')
    return invalid('direction', `'${String(direction)}' is not in ['ingress', 'egress']`);
  const ethertype = optString(body, 'ethertype') ?? 'IPv4';
  if (ethertype !== 'IPv4' && ethertype !== 'IPv6')
    return invalid('ethertype', `'${ethertype}' is not in ['IPv4', 'IPv6']`);
  let protocol: string | null =
    body.protocol === undefined || body.protocol === null || body.protocol === 'any'
      ? null
      : scalarText(body.protocol);
  if (protocol !== null) {
    protocol = protocol.toLowerCase();
    const numeric = /^\d+$/.test(protocol) && Number(protocol) <= 255;
    if (!numeric && !NAMED_PROTOCOLS.includes(protocol)) {
      throw neutronFault(
        400,
        'SecurityGroupRuleInvalidProtocol',
        `Security group rule protocol ${protocol} not supported. Only protocol values [${NAMED_PROTOCOLS.join(', ')}] and integer representations [0 to 255] are supported.`,
      );
    }
  }
  const min = portNumber(body.port_range_min, 'port_range_min');
  const max = portNumber(body.port_range_max, 'port_range_max');
  if ((min !== null || max !== null) && protocol === null) {
    throw neutronFault(
      400,
      'SecurityGroupProtocolRequiredWithPorts',
      'Must also specify protocol if port range is given.',
    );
  }
  if (
    min !== null &&
    max !== null &&
    min > max &&
    ['tcp', 'udp', 'sctp'].includes(protocol ?? '')
  ) {
    throw neutronFault(
      400,
      'SecurityGroupInvalidPortRange',
      'For TCP/UDP protocols, port_range_min must be <= port_range_max',
    );
  }
  const prefix = optString(body, 'remote_ip_prefix') ?? null;
  const remoteGroup = optString(body, 'remote_group_id') ?? null;
  if (prefix !== null && remoteGroup !== null) {
    throw neutronFault(
      400,
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
      'Only remote_ip_prefix or remote_group_id may be provided.',
    );
  }
  if (prefix !== null && ethertype === 'IPv4' && !parseCidr(normalisePrefix(prefix)))
    invalid('remote_ip_prefix', `'${prefix}' is not a valid IPv4 CIDR`);
  if (remoteGroup !== null && !ctx.state.security_groups.some((g) => g.id === remoteGroup))
    throw securityGroupNotFound(remoteGroup);
  return {
    ...ctx.neutron.base(owner.project_id, optString(body, 'description')),
    security_group_id: owner.id,
    direction,
    ethertype,
    protocol,
    port_range_min: min,
    port_range_max: max,
    remote_ip_prefix: prefix === null ? null : normalisePrefix(prefix),
    remote_group_id: remoteGroup,
  };
}

/** `10.0.0.5` → `10.0.0.5/32`; leaves CIDRs alone. */
function normalisePrefix(prefix: string): string {
  return prefix.includes('/') ? prefix : `${prefix}/32`;
}
