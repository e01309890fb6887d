/** Floating-IP association and the NAT path it needs (subset §3.6, §4.3). */
import { neutronFault } from './faults.js';
import { parseIpv4 } from './ip.js';
import type { NeutronModel } from './neutron-model.js';
import type { FixedIp, FloatingIpRecord, PortRecord, RouterRecord } from './state.js';

/** Associates a floating IP with a port (PUT semantics of §3.6), checking the NAT path (§4.3). */
export function associateFloatingIp(
  model: NeutronModel,
  fip: FloatingIpRecord,
  portId: string,
  fixedIp: string | undefined,
): void {
  const port = model.port(portId);
  const v4 = port.fixed_ips.filter((f) => parseIpv4(f.ip_address) !== undefined);
  let chosen: FixedIp | undefined;
  if (fixedIp !== undefined) {
    chosen = v4.find((f) => f.ip_address === fixedIp);
    if (!chosen)
      throw neutronFault(
        400,
        'BadRequest',
        `Bad floatingip request: Port ${port.id} does not have fixed ip ${fixedIp}.`,
      );
  } else if (v4.length > 1) {
    throw neutronFault(
      400,
      'BadRequest',
      `Bad floatingip request: Port ${port.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP.`,
    );
  } else {
    chosen = v4[0];
    if (!chosen)
      throw neutronFault(
        400,
        'BadRequest',
        `Bad floatingip request: Port ${port.id} does not have any IPv4 address.`,
      );
  }
  if (fip.port_id === port.id && fip.fixed_ip_address === chosen.ip_address) return;
  const other = model.state.floatingips.find(
    (f) =>
      f.id !== fip.id &&
      f.port_id === port.id &&
      f.fixed_ip_address === chosen.ip_address &&
      f.floating_network_id === fip.floating_network_id,
  );
  if (other) {
    throw neutronFault(
      409,
      'FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${port.id} using fixed IP ${chosen.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
    );
  }
  const router = routerFor(model, fip.floating_network_id, port, chosen);
  fip.port_id = port.id;
  fip.fixed_ip_address = chosen.ip_address;
  fip.router_id = router.id;
  model.touch(fip);
}

/** The router that NATs `fixed` to the external network (neutron get_router_for_floatingip). */
function routerFor(
  model: NeutronModel,
  externalNetworkId: string,
  port: PortRecord,
  fixed: FixedIp,
): RouterRecord {
  const subnet = model.subnet(fixed.subnet_id);
  const candidates = model.state.routers.filter((r) => {
    if (r.gateway?.network_id !== externalNetworkId) return false;
    return model.state.ports.some(
      (p) =>
        p.device_id === r.id &&
        p.device_owner === 'network:router_interface' &&
        p.network_id === port.network_id &&
        p.fixed_ips.some((f) => f.subnet_id === subnet.id),
    );
  });
  const preferred = candidates.find((r) =>
    model.state.ports.some(
      (p) => p.device_id === r.id && p.fixed_ips.some((f) => f.ip_address === subnet.gateway_ip),
    ),
  );
  const router = preferred ?? candidates[0];
  if (!router) {
    throw neutronFault(
      404,
      'ExternalGatewayForFloatingIPNotFound',
      `External network ${externalNetworkId} is not reachable from subnet ${subnet.id}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`,
    );
  }
  return router;
}
