/** How an operation gets its client: resolved openstack_config plus test seams. */
import { OpenStackClient, type OpenStackClientOptions } from './api/client.js';
import { resolveOpenStackConfig } from './api/config.js';
import type { OsContext } from './context.js';

/** Injected into every operation (tests pass fetch/sleep seams or config overrides). */
export interface OsEnv {
  clientOptions?: OpenStackClientOptions;
  env?: NodeJS.ProcessEnv;
}

/** A client for this operation: node property `openstack_config` < input `openstack_config`. */
export function clientFor(
  ctx: OsContext,
  inputs: Record<string, unknown>,
  env: OsEnv,
): OpenStackClient {
  const config = resolveOpenStackConfig(
    ctx.node.properties.openstack_config,
    inputs.openstack_config,
    env.env ?? process.env,
  );
  return new OpenStackClient(config, env.clientOptions);
}

/** An OpenStack operation written over the minimal {@link OsContext}. */
export type OsOperation = (
  ctx: OsContext,
  inputs: Record<string, unknown>,
  env: OsEnv,
) => Promise<void>;
