/**
 * The OpenStack plugin (Cloudify plugin 1.3 task names), over a typed Keystone/Nova/Neutron
 * client. Register with `registry.registerPlugin(openstackPluginName, openstackPluginTasks)`.
 * Talks only to 127.0.0.0/8 clouds (e.g. the local cloud of `cfy cloud start`). See docs/cloud.md.
 */
import type { OperationContext } from '../../context/operation-context.js';
import type { PluginFunction } from '../../registry.js';
import type { OsEnv, OsOperation } from './env.js';
import { createKeypair, deleteKeypair } from './keypair-ops.js';
import {
  connectSubnet,
  createNetwork,
  createRouter,
  createSecurityGroup,
  createSubnet,
  creationValidation,
  deleteNetwork,
  deleteRouter,
  deleteSecurityGroup,
  deleteSubnet,
  disconnectSubnet,
} from './neutron-ops.js';
import {
  connectPort,
  connectSecurityGroup,
  createFloatingIp,
  createPort,
  deleteFloatingIp,
  deletePort,
  detachPort,
  disconnectPort,
} from './port-ops.js';
import {
  createServer,
  deleteServer,
  startServer,
  stopServer,
  validateServer,
} from './server-ops.js';
import { connectFloatingIp, disconnectFloatingIp } from './server-floatingip-ops.js';
import { KINDS } from './resources.js';
import {
  connectServerSecurityGroup,
  disconnectServerSecurityGroup,
} from './server-security-ops.js';

export {
  OpenStackClient,
  clearTokenCache,
  assertLoopbackUrl,
  OpenStackTimeoutError,
  type OpenStackClientOptions,
  type Service,
} from './api/client.js';
export { resolveOpenStackConfig, type OpenStackConfig } from './api/config.js';
export { OpenStackApiError, isNotFound } from './api/errors.js';
export type { OsContext, OsRelationship, OsNode, OsInstance, OsLogger } from './context.js';
export type { OsEnv, OsOperation } from './env.js';

/** The plugin name used by the 1.3 plugin.yaml (`openstack.nova_plugin.server.create`...). */
export const openstackPluginName = 'openstack';

const noop: OsOperation = () => Promise.resolve();

/** Every operation, by Cloudify task name, over {@link OsContext}. */
export const openstackOperations: Readonly<Record<string, OsOperation>> = {
  'nova_plugin.server.create': createServer,
  'nova_plugin.server.start': startServer,
  'nova_plugin.server.stop': stopServer,
  'nova_plugin.server.delete': deleteServer,
  'nova_plugin.server.connect_floatingip': connectFloatingIp,
  'nova_plugin.server.disconnect_floatingip': disconnectFloatingIp,
  'nova_plugin.server.creation_validation': validateServer,
  'nova_plugin.server.connect_security_group': connectServerSecurityGroup,
  'nova_plugin.server.disconnect_security_group': disconnectServerSecurityGroup,
  'nova_plugin.keypair.create': createKeypair,
  'nova_plugin.keypair.delete': deleteKeypair,
  'nova_plugin.keypair.creation_validation': noop,
  'neutron_plugin.network.create': createNetwork,
  'neutron_plugin.network.delete': deleteNetwork,
  'neutron_plugin.network.creation_validation': creationValidation(KINDS.network),
  'neutron_plugin.subnet.create': createSubnet,
  'neutron_plugin.subnet.delete': deleteSubnet,
  'neutron_plugin.subnet.creation_validation': creationValidation(KINDS.subnet),
  'neutron_plugin.router.create': createRouter,
  'neutron_plugin.router.delete': deleteRouter,
  'neutron_plugin.router.connect_subnet': connectSubnet,
  'neutron_plugin.router.disconnect_subnet': disconnectSubnet,
  'neutron_plugin.router.creation_validation': creationValidation(KINDS.router),
  'neutron_plugin.security_group.create': createSecurityGroup,
  'neutron_plugin.security_group.delete': deleteSecurityGroup,
  'neutron_plugin.security_group.creation_validation': creationValidation(KINDS.securityGroup),
  'neutron_plugin.port.create': createPort,
  'neutron_plugin.port.delete': deletePort,
  'neutron_plugin.port.detach': detachPort,
  'neutron_plugin.port.connect_security_group': connectSecurityGroup,
  'neutron_plugin.port.creation_validation': creationValidation(KINDS.port),
  'neutron_plugin.floatingip.create': createFloatingIp,
  'neutron_plugin.floatingip.delete': deleteFloatingIp,
  'neutron_plugin.floatingip.connect_port': connectPort,
  'neutron_plugin.floatingip.disconnect_port': disconnectPort,
  'neutron_plugin.floatingip.creation_validation': noop,
};

/** Adapts an operation to the registry's PluginFunction (the real ctx satisfies OsContext). */
export function toPluginFunction(operation: OsOperation, env: OsEnv = {}): PluginFunction {
  return async (ctx: OperationContext, inputs: Record<string, unknown>) => {
    await operation(ctx, inputs, env);
    return undefined;
  };
}

/** The plugin's tasks for `PluginRegistry.registerPlugin(openstackPluginName, openstackPluginTasks)`. */
export const openstackPluginTasks: Readonly<Record<string, PluginFunction>> = Object.fromEntries(
  Object.entries(openstackOperations).map(([task, operation]) => [
    task,
    toPluginFunction(operation),
  ]),
);
