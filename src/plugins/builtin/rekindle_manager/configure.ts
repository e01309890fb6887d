/**
 * `rekindle_manager.configuration.start` (the manager_configuration node): waits for the
 * management services through the floating IP (retrying the operation), checks the admin
 * credentials, and uploads the provider context whose agents' broker address is the port's fixed IP.
 */
import { NonRecoverableError } from '../../../core/index.js';
import type { OperationContext } from '../../context/operation-context.js';
import { checkServices, uploadProviderContext, type ManagerEndpoint } from './services.js';

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new NonRecoverableError(`manager_configuration needs ${what}`);
  return value;
}

function port(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new NonRecoverableError(`manager_configuration: ${what} must be a TCP port, got ${String(value)}`);
  return n;
}

/** The provider context the manager keeps: the node's `cloudify` property with the agents' addresses. */
export function buildProviderContext(
  cloudify: Record<string, unknown>,
  addresses: { privateIp: string; publicIp: string; restPort: number; brokerPort: number },
): Record<string, unknown> {
  const agent = (cloudify.cloudify_agent ?? {}) as Record<string, unknown>;
  return {
    cloudify: {
      ...cloudify,
      manager_ip: addresses.publicIp,
      cloudify_agent: {
        ...agent,
        broker_ip: addresses.privateIp,
        broker_port: addresses.brokerPort,
        rest_host: addresses.privateIp,
        rest_port: addresses.restPort,
      },
    },
  };
}

/** The operation. Retries (ctx.operation.retry) until the services answer. */
export async function configureManager(ctx: OperationContext, inputs: Record<string, unknown>): Promise<void> {
  const props = ctx.node.properties;
  const publicIp = text(inputs.public_ip, "the floating IP (input public_ip)");
  const privateIp = text(inputs.private_ip, "the port's fixed IP (input private_ip)");
  const restPort = port(props.rest_port ?? 8101, 'rest_port');
  const brokerPort = port(props.broker_port ?? 53333, 'broker_port');
  const endpoint: ManagerEndpoint = {
    ip: publicIp,
    port: restPort,
    username: text(props.admin_username ?? 'admin', 'admin_username'),
    password: text(props.admin_password, 'the admin_password property'),
  };
  const interval = Number(inputs.wait_interval ?? 1);
  const check = await checkServices(endpoint);
  if (check.state === 'unauthorized') {
    throw new NonRecoverableError(
      `The manager at ${publicIp}:${restPort} refuses the admin credentials of the blueprint: the admin password differs from the one the manager was first started with`,
    );
  }
  if (check.state === 'down') {
    ctx.operation.retry(`waiting for cloudify management services to restart (${check.reason})`, Number.isFinite(interval) ? interval : 1);
  }
  ctx.logger.info(`Management services are up at ${publicIp}:${restPort}`);
  const context = buildProviderContext((props.cloudify ?? {}) as Record<string, unknown>, { privateIp, publicIp, restPort, brokerPort });
  await uploadProviderContext(endpoint, context);
  ctx.logger.info(`Provider context uploaded (agents' broker ${privateIp}:${brokerPort})`);
  Object.assign(ctx.instance.runtimeProperties, { manager_ip: publicIp, private_ip: privateIp, rest_port: restPort, provider_context: context });
}
