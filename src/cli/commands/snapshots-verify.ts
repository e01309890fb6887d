/**
 * `cfy snapshots verify -p PATH [--passphrase-file F] [--json]`: offline integrity check of a
 * snapshot archive and a summary of what is inside. Exit 1 with the error when it is damaged.
 */
import type { Command } from 'commander';
import { openSnapshotArchive, PASSPHRASE_ENV, readPassphrase, type SnapshotSummary, type VerifyResult } from '../../snapshots/index.js';
import type { Output } from '../output.js';

interface VerifyFlags {
  snapshotPath: string;
  passphraseFile?: string;
  json?: boolean;
}

export function registerSnapshotsVerify(group: Command, output: Output): void {
  group
    .command('verify')
    .description('Check a snapshot archive offline (every hash, and decryption when a passphrase is given) and summarize it')
    .requiredOption('-p, --snapshot-path <path>', 'the snapshot archive (.zip)')
    .option('--passphrase-file <file>', `file holding the passphrase of an encrypted snapshot (or set ${PASSPHRASE_ENV})`)
    .option('--json', 'print the result as JSON')
    .action(async (flags: VerifyFlags) => {
      const passphrase = await readPassphrase(flags.passphraseFile);
      const archive = await openSnapshotArchive(flags.snapshotPath, passphrase === undefined ? {} : { passphrase });
      try {
        const result = await archive.verify();
        report(output, flags, archive.summary(), result);
      } finally {
        archive.close();
      }
    });
}

function report(output: Output, flags: VerifyFlags, summary: SnapshotSummary, result: VerifyResult): void {
  const contentChecked = !summary.encrypted || result.decrypted;
  if (flags.json) {
    output.json({ path: flags.snapshotPath, valid: true, contentsAuthenticated: contentChecked, ...summary, checkedEntries: result.entries });
    return;
  }
  output.info(`Snapshot '${flags.snapshotPath}' is intact (${result.entries} entries checked)`);
  output.info(`  format version: ${summary.formatVersion}${summary.sourceFormatVersion === summary.formatVersion ? '' : ` (written as ${summary.sourceFormatVersion})`}`);
  output.info(`  manager version: ${summary.managerVersion}`);
  output.info(`  storage schema version: ${summary.storageSchemaVersion}`);
  output.info(`  created at: ${summary.createdAt}`);
  output.info(`  encrypted: ${summary.encrypted ? 'yes' : 'no'}`);
  output.info(`  credentials included: ${summary.includesCredentials ? 'yes' : 'no'}`);
  output.info(`  size: ${summary.size} bytes`);
  const counts = Object.entries(summary.counts).sort(([a], [b]) => a.localeCompare(b));
  if (counts.length > 0) output.table('Counts:', ['table', 'rows'], counts);
  if (!contentChecked) {
    output.warn(`Encrypted contents were hash-checked but not decrypted; give --passphrase-file or set ${PASSPHRASE_ENV} to authenticate them`);
  }
}
