/** A hand-built deployment model shaped like the 3.3 OpenStack manager blueprint (spec §4.7, §5.6). */
import type { DeploymentModel, NodeModel } from '../../src/plan/model.js';
import { containedIn, lifecycle, model, node, op, rel } from './support.js';

const rl = 'cloudify.interfaces.relationship_lifecycle';

const service = (id: string, extra: ReturnType<typeof rel>[] = []): NodeModel =>
  node(id, { type: `manager.nodes.${id}`, ops: lifecycle(id, ['create', 'configure', 'start', 'stop']), rels: [containedIn('manager_host'), ...extra] });

/** Builds the model; `extra` nodes are appended (e.g. an intact node connected to the host). */
export function managerModel(extra: NodeModel[] = []): DeploymentModel {
  const server = node('manager_host', {
    compute: true,
    type: 'cloudify.openstack.nodes.Server',
    properties: { install_agent: false },
    ops: {
      'cloudify.interfaces.lifecycle.create': op('cloudify.interfaces.lifecycle.create', 'nova_plugin.server.create'),
      'cloudify.interfaces.lifecycle.start': op('cloudify.interfaces.lifecycle.start', 'nova_plugin.server.start'),
      'cloudify.interfaces.lifecycle.stop': op('cloudify.interfaces.lifecycle.stop', 'nova_plugin.server.stop'),
      'cloudify.interfaces.lifecycle.delete': op('cloudify.interfaces.lifecycle.delete', 'nova_plugin.server.delete'),
      'cloudify.interfaces.host.get_state': op('cloudify.interfaces.host.get_state', 'nova_plugin.server.get_state'),
    },
    rels: [
      rel('cloudify.openstack.server_connected_to_floating_ip', 'manager_server_ip', {
        hierarchy: ['cloudify.openstack.server_connected_to_floating_ip', 'cloudify.relationships.connected_to', 'cloudify.relationships.depends_on'],
        sourceOps: {
          [`${rl}.establish`]: op(`${rl}.establish`, 'nova_plugin.server.connect_floatingip'),
          [`${rl}.unlink`]: op(`${rl}.unlink`, 'nova_plugin.server.disconnect_floatingip'),
          [`${rl}.postconfigure`]: op(`${rl}.postconfigure`, 'script_runner.tasks.run', { plugin: 'script', inputs: { script_path: 'set_manager_public_ip.py' } }),
        },
      }),
      rel('cloudify.openstack.server_connected_to_keypair', 'management_keypair'),
      rel('cloudify.openstack.server_connected_to_port', 'manager_port', {
        sourceOps: { [`${rl}.unlink`]: op(`${rl}.unlink`, 'neutron_plugin.port.detach') },
      }),
    ],
  });
  const infra = (id: string, type: string, rels: ReturnType<typeof rel>[] = []): NodeModel =>
    node(id, { type, ops: lifecycle(id, ['create', 'delete']), rels });
  return model([
    infra('management_keypair', 'cloudify.openstack.nodes.KeyPair'),
    infra('management_network', 'cloudify.openstack.nodes.Network'),
    infra('manager_port', 'cloudify.openstack.nodes.Port', [containedIn('management_network')]),
    infra('manager_server_ip', 'cloudify.openstack.nodes.FloatingIP'),
    server,
    service('manager_configuration'),
    service('python_runtime'),
    service('rabbitmq'),
    service('rest_service', [
      rel('cloudify.relationships.depends_on', 'python_runtime'),
      rel('rest_to_mgr_config', 'manager_configuration'),
      rel('restservice_to_rabbitmq', 'rabbitmq'),
    ]),
    ...extra,
  ]);
}

/** The instance ids heal must reinstall. */
export const healedIds = ['manager_host_1', 'manager_configuration_1', 'python_runtime_1', 'rabbitmq_1', 'rest_service_1'];
