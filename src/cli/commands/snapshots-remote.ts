/** `cfy snapshots create | list | download | upload | restore | delete` against the manager. */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import { collectAll, dispositionFileName, executionEndStates, saveResponse, type Execution, type RestClient } from '../../client/index.js';
import { PASSPHRASE_ENV, readPassphrase } from '../../snapshots/index.js';
import type { Output } from '../output.js';
import { currentManager } from '../remote.js';
import { progressPrinter } from '../progress.js';
import { SilentExit } from '../main.js';

/** Waits for a system execution (snapshot create / restore) to end, printing a dot line now and then. */
export async function waitForExecution(client: RestClient, id: string, pollMs = 250): Promise<Execution> {
  for (;;) {
    const execution = await client.executions.get(id);
    if (executionEndStates.includes(execution.status)) return execution;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function reportWaited(output: Output, what: string, execution: Execution): void {
  if (execution.status === 'terminated') {
    output.info(`${what} finished successfully`);
    return;
  }
  output.warn(`${what} ${execution.status}: ${execution.error}`);
  throw new SilentExit(1);
}

export function registerSnapshotCreate(group: Command, output: Output): void {
  group
    .command('create')
    .description("Create a snapshot of the manager's data")
    .requiredOption('-s, --snapshot-id <id>', 'A unique id that will be assigned to the created snapshot')
    .option('--include-metrics', 'include metrics data (Rekindle keeps none; accepted for compatibility)', false)
    .option('--exclude-credentials', 'leave agent credentials out of the snapshot', false)
    .option('--passphrase-file <file>', `encrypt the snapshot with the passphrase in this file (or set ${PASSPHRASE_ENV})`)
    .option('--wait', 'wait until the snapshot is created', false)
    .option('--json', 'print the execution as JSON', false)
    .action(async (options: { snapshotId: string; includeMetrics: boolean; excludeCredentials: boolean; passphraseFile?: string; wait: boolean; json: boolean }) => {
      const passphrase = await readPassphrase(options.passphraseFile);
      const { target, client } = currentManager();
      if (!options.json) output.info(`Creating snapshot '${options.snapshotId}' to management server ${target.ip}`);
      const execution = await client.snapshots.create(options.snapshotId, {
        includeMetrics: options.includeMetrics,
        includeCredentials: !options.excludeCredentials,
        ...(passphrase === undefined ? {} : { passphrase }),
      });
      if (options.json && !options.wait) return output.json(execution);
      if (!options.json) output.info(`Started workflow's execution id: ${execution.id}`);
      if (options.wait) {
        const done = await waitForExecution(client, execution.id);
        if (options.json) return output.json(done);
        reportWaited(output, `Snapshot '${options.snapshotId}' creation`, done);
      }
    });
}

export function registerSnapshotList(group: Command, output: Output): void {
  group
    .command('list')
    .description('List snapshots')
    .option('--json', 'print JSON', false)
    .action(async (options: { json: boolean }) => {
      const { target, client } = currentManager();
      const items = await collectAll((page) => client.snapshots.list(page));
      if (options.json) return output.json(items);
      output.info(`Retrieving snapshots list... [manager=${target.ip}]`);
      output.table('Snapshots:', ['id', 'created_at', 'status', 'error'], items.map((s) => [s.id, s.created_at, s.status, s.error]));
    });
}

export function registerSnapshotDownload(group: Command, output: Output): void {
  group
    .command('download')
    .description("Download a snapshot's archive")
    .requiredOption('-s, --snapshot-id <id>', 'the snapshot')
    .option('-o, --output <path>', 'where to save it (default: <id>.zip in this folder)')
    .action(async (options: { snapshotId: string; output?: string }) => {
      const { target, client } = currentManager();
      output.info(`Downloading snapshot '${options.snapshotId}'... [manager=${target.ip}]`);
      const response = await client.snapshots.download(options.snapshotId);
      const file = options.output ?? join(process.cwd(), dispositionFileName(response) ?? `${options.snapshotId}.zip`);
      const progress = progressPrinter('Downloading');
      await saveResponse(response, file, progress);
      progress.done();
      output.info(`Snapshot '${options.snapshotId}' has been downloaded successfully as '${file}'`);
    });
}

export function registerSnapshotUpload(group: Command, output: Output): void {
  group
    .command('upload')
    .description('Upload a snapshot archive to the manager')
    .requiredOption('-p, --snapshot-path <path>', 'the local snapshot archive')
    .requiredOption('-s, --snapshot-id <id>', 'the id to give it')
    .action(async (options: { snapshotPath: string; snapshotId: string }) => {
      const path = resolve(options.snapshotPath);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
        throw new UserError('bad_parameters_error', `Snapshot file not found: ${options.snapshotPath}`);
      }
      const { target, client } = currentManager();
      output.info(`Uploading snapshot '${options.snapshotPath}' to management server ${target.ip}`);
      const progress = progressPrinter('Uploading');
      const snapshot = await client.snapshots.upload(options.snapshotId, path, progress);
      progress.done();
      output.info(`Uploaded snapshot with id: ${snapshot.id}`);
    });
}

export function registerSnapshotRestore(group: Command, output: Output): void {
  group
    .command('restore')
    .description('Restore a snapshot into this manager')
    .requiredOption('-s, --snapshot-id <id>', 'the snapshot')
    .option('--without-deployments-envs', 'Restore snapshot without deployment environments', false)
    .option('-f, --force', 'Force restoring the snapshot on a dirty manager', false)
    .option('--passphrase-file <file>', `passphrase of an encrypted snapshot, read from this file (or set ${PASSPHRASE_ENV})`)
    .option('--wait', 'wait until the restore ends', false)
    .action(async (options: { snapshotId: string; withoutDeploymentsEnvs: boolean; force: boolean; passphraseFile?: string; wait: boolean }) => {
      const passphrase = await readPassphrase(options.passphraseFile);
      const { target, client } = currentManager();
      output.info(`Restoring snapshot '${options.snapshotId}' at management server ${target.ip}`);
      const execution = await client.snapshots.restore(options.snapshotId, {
        recreateDeploymentsEnvs: !options.withoutDeploymentsEnvs,
        force: options.force,
        ...(passphrase === undefined ? {} : { passphrase }),
      });
      output.info(`Started workflow's execution id: ${execution.id}`);
      if (options.wait) reportWaited(output, `Snapshot '${options.snapshotId}' restore`, await waitForExecution(client, execution.id));
    });
}

export function registerSnapshotDelete(group: Command, output: Output): void {
  group
    .command('delete')
    .description('Delete a snapshot')
    .requiredOption('-s, --snapshot-id <id>', 'the snapshot')
    .action(async (options: { snapshotId: string }) => {
      const { target, client } = currentManager();
      output.info(`Deleting snapshot '${options.snapshotId}' from management server ${target.ip}`);
      await client.snapshots.delete(options.snapshotId);
      output.info('Deleted snapshot successfully');
    });
}
