/**
 * `cfy use -t IP [--port N]`: points the working directory at a running manager and saves its
 * provider context (which holds the manager deployment, so recover and teardown work from here).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { ManagerRequestError } from '../../client/index.js';
import type { Output } from '../output.js';
import { findCloudifyDir, initCloudifyDir, readProfile, writeProfile } from '../profile.js';
import { clientFor, type ManagerTarget } from '../remote.js';

interface UseOptions {
  managementIp: string;
  port: string;
  json?: boolean;
}

/** Checks the manager answers, then saves it as the working directory's manager. */
export async function useManager(target: ManagerTarget, cwd = process.cwd()): Promise<Record<string, unknown> | null> {
  const client = clientFor(target);
  try {
    await client.manager.status();
  } catch (error) {
    const reason = error instanceof ManagerRequestError && error.status === 401 ? 'User is unauthorized.' : 'No response.';
    throw new UserError('manager_unavailable_error', `Can't use management server ${target.ip}: ${reason}`, {
      cause: error,
      hints:
        reason === 'No response.'
          ? [`Check the manager runs and answers at ${target.protocol}://${target.ip}:${target.port}`]
          : ['Set CLOUDIFY_USERNAME and CLOUDIFY_PASSWORD to the manager credentials'],
    });
  }
  const cloudifyDir = findCloudifyDir(cwd) ?? initCloudifyDir(cwd);
  let providerContext: Record<string, unknown> | null = null;
  try {
    providerContext = (await client.manager.getContext()).context;
  } catch (error) {
    if (!(error instanceof ManagerRequestError)) throw error;
  }
  const profile = readProfile(cloudifyDir);
  writeProfile(cloudifyDir, {
    ...profile,
    management_ip: target.ip,
    rest_port: target.port,
    protocol: target.protocol,
    provider_context: providerContext,
  });
  // The next recover/teardown re-extracts the manager deployment from the fresh provider context.
  rmSync(join(cloudifyDir, 'bootstrap'), { recursive: true, force: true });
  return providerContext;
}

export function registerUseCommand(program: Command, output: Output): void {
  program
    .command('use')
    .description('Use a running manager from this working directory')
    .requiredOption('-t, --management-ip <ip>', 'the manager address')
    .option('--port <port>', 'the manager REST port', '80')
    .action(async (options: UseOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        throw new UserError('bad_parameters_error', `--port must be a TCP port number, got '${options.port}'`);
      }
      await useManager({ ip: options.managementIp, port, protocol: port === 443 ? 'https' : 'http' });
      output.info(`Using management server ${options.managementIp} with port ${port}`);
    });
}
