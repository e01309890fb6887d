/**
 * `cfy recover -f --snapshot-path PATH`: heals the manager server (same port = same private IP,
 * same floating IP), re-uploads the provider context, and restores the snapshot into the new
 * manager. A preflight (snapshot file, port and floating IP still in the cloud) runs first.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { LocalStateStore } from '../../plugins/index.js';
import { PASSPHRASE_ENV, readPassphrase } from '../../snapshots/index.js';
import {
  addTaskFlags,
  bootstrapDirOf,
  checkKeptResources,
  checkSnapshotFile,
  dumpOf,
  extractManagerDeploymentIfNeeded,
  managerClient,
  managerStateRoot,
  managerTargetOf,
  runManagerWorkflow,
  taskSettings,
  uploadAndRestore,
  uploadManagerProviderContext,
  restoredSnapshotId,
  type TaskFlags,
} from '../bootstrap/index.js';
import { SilentExit } from '../main.js';
import type { Output } from '../output.js';
import { readProfile, requireCloudifyDir } from '../profile.js';

export const forceRequiredMessage =
  "This action requires additional confirmation. Add the '-f' or '--force' flags to your command if you are certain this command should be executed.";
export const snapshotPathRequiredMessage = "This action requires a valid snapshot path. Add the '-s' or '--snapshot-path' flag to your command";

interface RecoverFlags extends TaskFlags {
  force: boolean;
  snapshotPath?: string;
  passphraseFile?: string;
  dryRun: boolean;
}

/** The 3.3 validation order: force first, then the snapshot path (which must be a readable file). */
export function validateRecoverFlags(flags: { force: boolean; snapshotPath?: string | undefined }): string {
  if (!flags.force) throw new UserError('confirmation_required', forceRequiredMessage);
  if (flags.snapshotPath === undefined || flags.snapshotPath === '') throw new UserError('snapshot_path_required', snapshotPathRequiredMessage);
  const path = resolve(flags.snapshotPath);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new UserError('snapshot_path_invalid', `Snapshot file not found: ${flags.snapshotPath}`, { hints: ["Download one with 'cfy snapshots download -s ID' while the manager runs"] });
  }
  return path;
}

/** Opens the manager deployment, extracting it from the profile's provider context when needed. */
export function openManagerDeployment(cloudifyDir: string): LocalStateStore {
  const profile = readProfile(cloudifyDir);
  extractManagerDeploymentIfNeeded(bootstrapDirOf(cloudifyDir), dumpOf(profile.provider_context));
  return LocalStateStore.open(managerStateRoot(cloudifyDir), "Run 'cfy use -t MANAGER_IP --port PORT' here while the manager runs, or work from the bootstrap directory");
}

export function registerRecoverCommand(program: Command, output: Output): void {
  const command = program
    .command('recover')
    .description('Performs recovery of the management machine and all its contained nodes.')
    .option('-f, --force', 'Force recovery. This flag is mandatory', false)
    .option('-s, --snapshot-path <path>', 'The local path to the snapshot')
    .option('--passphrase-file <file>', `passphrase of an encrypted snapshot (or set ${PASSPHRASE_ENV})`)
    .option('--dry-run', 'print what would be destroyed and recreated, change nothing', false);
  addTaskFlags(command).action(async (flags: RecoverFlags, cmd: Command) => {
    const snapshotPath = validateRecoverFlags(flags);
    const settings = taskSettings(flags);
    const phases: [string, number][] = [];
    let mark = Date.now();
    const phase = (name: string): void => {
      const now = Date.now();
      phases.push([name, now - mark]);
      mark = now;
    };
    const cloudifyDir = requireCloudifyDir();
    const store = openManagerDeployment(cloudifyDir);
    const managerId = store.payload().manager_node_instance_id;
    if (typeof managerId !== 'string') throw new UserError('manager_node_unknown', 'The manager deployment has no manager_node_instance_id in its payload (was it bootstrapped by cfy bootstrap?)');

    const passphrase = await readPassphrase(flags.passphraseFile);
    const summary = await checkSnapshotFile(snapshotPath, passphrase);
    const kept = await checkKeptResources(store);
    phase('preflight');
    if (flags.dryRun) {
      const manager = store.listInstances().find((i) => i.id === managerId);
      const hostId = manager?.hostId ?? managerId;
      const healed = store.listInstances().filter((i) => i.id === hostId || i.hostId === hostId);
      output.info(`Snapshot ${snapshotPath}: format ${summary.formatVersion}, manager ${summary.managerVersion}, created ${summary.createdAt}`);
      output.info(`Would destroy and recreate: ${healed.map((i) => i.id).join(', ')}`);
      for (const k of kept) output.info(`Would keep ${k.kind} ${k.id} (${k.address ?? 'no address'}) of ${k.nodeInstanceId}`);
      output.info(`Would then upload the snapshot as ${restoredSnapshotId}, restore it with deployment environments, and delete it`);
      return;
    }

    output.info('Recovering manager deployment');
    const showDebug = cmd.optsWithGlobals<{ debug?: boolean }>().debug === true;
    const healError = await runManagerWorkflow(store, 'heal', { node_instance_id: managerId }, settings, output, showDebug);
    if (healError) throw new SilentExit(1);
    phase('heal');

    const target = managerTargetOf(store);
    const client = managerClient(target, store);
    await uploadManagerProviderContext(store, client);
    await uploadAndRestore(client, output, { snapshotPath, managerIp: target.ip, passphrase, onUploaded: () => phase('upload') });
    phase('restore');
    output.info('Successfully recovered manager deployment');
    output.info(`Recovery phases: ${phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(2)}s`).join(', ')}`);
  });
}
