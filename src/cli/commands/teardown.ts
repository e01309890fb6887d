/**
 * `cfy teardown -f [--ignore-deployments]`: refreshes the provider context from the manager (a
 * recovered manager has a new server), then uninstalls the manager deployment.
 */
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { LocalStateStore } from '../../plugins/index.js';
import { addTaskFlags, bootstrapDirOf, managerStateRoot, runManagerWorkflow, taskSettings, type TaskFlags } from '../bootstrap/index.js';
import { SilentExit } from '../main.js';
import type { Output } from '../output.js';
import { readProfile, requireCloudifyDir, writeProfile } from '../profile.js';
import { clientFor } from '../remote.js';
import { forceRequiredMessage, openManagerDeployment } from './recover.js';
import { useManager } from './use.js';

interface TeardownFlags extends TaskFlags {
  force: boolean;
  ignoreDeployments: boolean;
}

export function registerTeardownCommand(program: Command, output: Output): void {
  const command = program
    .command('teardown')
    .description('Tear down the manager (uninstall the manager deployment)')
    .option('-f, --force', 'Confirm the teardown. This flag is mandatory', false)
    .option('--ignore-deployments', 'tear down even if the manager has deployments', false);
  addTaskFlags(command).action(async (flags: TeardownFlags) => {
    if (!flags.force) throw new UserError('confirmation_required', forceRequiredMessage);
    const settings = taskSettings(flags);
    const cloudifyDir = requireCloudifyDir();
    const profile = readProfile(cloudifyDir);
    if (!profile.management_ip) {
      if (!LocalStateStore.exists(managerStateRoot(cloudifyDir))) {
        throw new UserError('no_manager_error', 'No manager to tear down here', {
          hints: ["Run 'cfy use -t MANAGER_IP --port PORT' first, or run teardown from the bootstrap directory"],
        });
      }
    } else {
      const target = { ip: profile.management_ip, port: profile.rest_port, protocol: profile.protocol };
      if (!flags.ignoreDeployments) {
        let count: number;
        try {
          count = (await clientFor(target).deployments.list(undefined, { size: 1 })).metadata.pagination.total;
        } catch (cause) {
          throw new UserError('teardown_deployments_unknown', `Failed to query the deployments of manager server ${target.ip}`, {
            cause,
            hints: ["Add the '--ignore-deployments' flag to tear down anyway"],
          });
        }
        if (count > 0) {
          throw new UserError(
            'teardown_deployments_exist',
            `Manager server ${target.ip} has existing deployments. Delete all deployments first or add the '--ignore-deployments' flag to your command to ignore these deployments and execute teardown.`,
          );
        }
      }
      try {
        await useManager(target);
      } catch (error) {
        output.warn(
          `Failed retrieving provider context: ${error instanceof Error ? error.message : String(error)}. This may cause a leaking management server in case it has gone through a recovery process`,
        );
      }
    }
    const store = openManagerDeployment(cloudifyDir);
    const error = await runManagerWorkflow(store, 'uninstall', {}, settings, output);
    if (error) throw new SilentExit(1);
    rmSync(bootstrapDirOf(cloudifyDir), { recursive: true, force: true });
    writeProfile(cloudifyDir, { ...readProfile(cloudifyDir), management_ip: null, provider_context: null });
    output.info('teardown complete');
  });
}
