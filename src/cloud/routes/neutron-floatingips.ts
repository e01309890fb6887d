/**
 * Neutron floating IPs (subset §3.6). Addresses come from the external network's 127.x subnet;
 * an associated floating IP forwards the configured TCP ports to its fixed IP (forwarder.ts).
 * Extension attribute `rekindle:forwarded_ports` (list of ports) overrides the cloud's list.
 */
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { tokenOf, type CloudContext } from '../context.js';
import { ApiFault, neutronFault } from '../faults.js';
import { isLoopback, parseIpv4 } from '../ip.js';
import { invalid, neutronList, optString, resourceBody } from '../neutron-http.js';
import { floatingIpView } from '../neutron-views.js';
import { associateFloatingIp } from '../floating-association.js';
import type { FloatingIpRecord } from '../state.js';

type Params = { id: string };
const FORWARDED = 'rekindle:forwarded_ports';
const CREATE_ATTRS = [
  'floating_network_id',
  'port_id',
  'fixed_ip_address',
  'floating_ip_address',
  'subnet_id',
  'description',
  'tenant_id',
  'project_id',
  FORWARDED,
];

function forwardedPorts(value: unknown): number[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (
    !Array.isArray(value) ||
    value.some((p) => !Number.isInteger(p) || (p as number) < 1 || (p as number) > 65535)
  ) {
    return invalid(FORWARDED, `'${JSON.stringify(value)}' is not a list of TCP ports`);
  }
  return value as number[];
}

export function registerFloatingIpRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const { neutron, state } = ctx;
  const base = (): string => `${ctx.urls.network}v2.0`;
  const view = (f: FloatingIpRecord): Record<string, unknown> => ({
    ...floatingIpView(neutron, f),
    [FORWARDED]: f.forwarded_ports ?? ctx.config.forwardedPorts,
  });

  app.get('/v2.0/floatingips', (request) =>
    neutronList(request, 'floatingips', state.floatingips.map(view), base()),
  );
  app.get<{ Params: Params }>('/v2.0/floatingips/:id', (request) => ({
    floatingip: view(neutron.floatingIp(request.params.id)),
  }));

  app.post('/v2.0/floatingips', async (request, reply) => {
    const body = resourceBody(request.body, 'floatingip', CREATE_ATTRS, ['floating_network_id']);
    const network = neutron.network(optString(body, 'floating_network_id')!);
    if (!network.external)
      throw neutronFault(
        400,
        'BadRequest',
        `Bad floatingip request: Network ${network.id} is not a valid external network.`,
      );
    const requestedIp = optString(body, 'floating_ip_address');
    if (
      requestedIp !== undefined &&
      (parseIpv4(requestedIp) === undefined || !isLoopback(requestedIp))
    ) {
      throw neutronFault(
        400,
        'InvalidInput',
        `Invalid input for operation: floating IP ${requestedIp} is outside 127.0.0.0/8; the local cloud only hands out loopback addresses.`,
      );
    }
    const fixedIp = optString(body, 'fixed_ip_address');
    const portId = body.port_id === null ? undefined : optString(body, 'port_id');
    if (fixedIp !== undefined && portId === undefined)
      throw neutronFault(
        400,
        'BadRequest',
        'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.',
      );
    const projectId = tokenOf(request).projectId ?? '';
    const id = randomUUID();
    const subnetId = optString(body, 'subnet_id');
    const request_ =
      requestedIp !== undefined || subnetId !== undefined
        ? [
            {
              ...(subnetId ? { subnet_id: subnetId } : {}),
              ...(requestedIp ? { ip_address: requestedIp } : {}),
            },
          ]
        : undefined;
    let address: string;
    try {
      const port = neutron.createPort('', {
        network_id: network.id,
        fixed_ips: request_,
        device_id: id,
        device_owner: 'network:floatingip',
      });
      const first = port.fixed_ips[0];
      if (!first) {
        state.ports = state.ports.filter((p) => p.id !== port.id);
        throw neutronFault(
          400,
          'ExternalIpAddressExhausted',
          `Unable to find any IP address on external network ${network.id}.`,
        );
      }
      address = first.ip_address;
    } catch (error) {
      if (error instanceof ApiFault && error.statusCode === 409 && requestedIp === undefined) {
        throw neutronFault(
          400,
          'ExternalIpAddressExhausted',
          `Unable to find any IP address on external network ${network.id}.`,
        );
      }
      throw error;
    }
    const fip: FloatingIpRecord = {
      ...neutron.base(projectId, optString(body, 'description')),
      id,
      floating_network_id: network.id,
      floating_ip_address: address,
      port_id: null,
      fixed_ip_address: null,
      router_id: null,
      forwarded_ports: forwardedPorts(body[FORWARDED]) ?? null,
    };
    if (portId !== undefined) {
      try {
        associateFloatingIp(neutron, fip, portId, fixedIp);
      } catch (error) {
        state.ports = state.ports.filter((p) => p.device_id !== id);
        throw error;
      }
      fip.revision_number = 1;
    }
    state.floatingips.push(fip);
    await ctx.commit();
    return reply.code(201).send({ floatingip: view(fip) });
  });

  app.put<{ Params: Params }>('/v2.0/floatingips/:id', async (request) => {
    const fip = neutron.floatingIp(request.params.id);
    const body = resourceBody(request.body, 'floatingip', [
      'port_id',
      'fixed_ip_address',
      'description',
      FORWARDED,
    ]);
    const fixedIp = optString(body, 'fixed_ip_address');
    const description = optString(body, 'description');
    const ports = forwardedPorts(body[FORWARDED]);
    if (fixedIp !== undefined && (body.port_id === undefined || body.port_id === null)) {
      throw neutronFault(
        400,
        'BadRequest',
        'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.',
      );
    }
    if (body.port_id === null || Object.keys(body).length === 0) neutron.disassociate(fip);
    else if (body.port_id !== undefined)
      associateFloatingIp(neutron, fip, optString(body, 'port_id')!, fixedIp);
    if (description !== undefined) fip.description = description;
    if (ports !== undefined) fip.forwarded_ports = ports;
    if (description !== undefined || ports !== undefined) neutron.touch(fip);
    await ctx.commit();
    return { floatingip: view(fip) };
  });

  app.delete<{ Params: Params }>('/v2.0/floatingips/:id', async (request, reply) => {
    const fip = neutron.floatingIp(request.params.id);
    state.ports = state.ports.filter(
      (p) => !(p.device_owner === 'network:floatingip' && p.device_id === fip.id),
    );
    state.floatingips = state.floatingips.filter((f) => f.id !== fip.id);
    await ctx.commit();
    return reply.code(204).send();
  });
}
