/**
 * The provider context bootstrap and recover upload: the manager node's `provider_context`
 * runtime property (set by its start operation) plus the manager-deployment dump, so that
 * `cfy use` from any machine can later recover or tear the manager down.
 */
import type { LocalStateStore } from '../../plugins/index.js';
import { UserError } from '../../core/index.js';
import type { RestClient } from '../../client/index.js';
import { clientFor, type ManagerTarget } from '../remote.js';
import { dumpManagerDeployment } from './dump.js';
import { managerInstance, managerOutputs } from './manager-env.js';

/** Where the manager deployment says the manager is. */
export function managerTargetOf(store: LocalStateStore): ManagerTarget {
  const outputs = managerOutputs(store);
  const ip = outputs.manager_ip;
  if (typeof ip !== 'string' || ip === '') {
    throw new UserError('manager_ip_unknown', "The manager deployment has no 'manager_ip' output value (is the manager installed?)");
  }
  const port = Number(outputs.manager_rest_port ?? 80);
  return { ip, port, protocol: port === 443 ? 'https' : 'http' };
}

/** A REST client for the manager: CLOUDIFY_USERNAME/PASSWORD, else the manager node's admin credentials. */
export function managerClient(target: ManagerTarget, store: LocalStateStore | null, env: NodeJS.ProcessEnv = process.env): RestClient {
  if ((env.CLOUDIFY_USERNAME && env.CLOUDIFY_PASSWORD) || store === null) return clientFor(target, env);
  const node = store.model().nodes.find((n) => n.id === managerInstance(store).nodeId);
  const username = node?.properties.admin_username;
  const password = node?.properties.admin_password;
  if (typeof username !== 'string' || typeof password !== 'string') return clientFor(target, env);
  return clientFor(target, { ...env, CLOUDIFY_USERNAME: username, CLOUDIFY_PASSWORD: password });
}

/** Records the manager node instance in the payload, dumps the state and builds the provider context. */
export function buildManagerProviderContext(store: LocalStateStore): Record<string, unknown> {
  const manager = managerInstance(store);
  store.setPayload({ ...store.payload(), manager_node_instance_id: manager.id });
  const base = (manager.runtimeProperties.provider_context ?? { cloudify: {} }) as Record<string, unknown>;
  const cloudify = (base.cloudify ?? {}) as Record<string, unknown>;
  return { ...base, cloudify: { ...cloudify, manager_deployment: dumpManagerDeployment(store.root) } };
}

/** Builds and uploads (create or replace) the provider context; returns it. */
export async function uploadManagerProviderContext(store: LocalStateStore, client: RestClient): Promise<Record<string, unknown>> {
  const context = buildManagerProviderContext(store);
  await client.manager.createContext('provider', context, true);
  return context;
}
