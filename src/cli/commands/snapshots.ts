/** `cfy snapshots ...`: the noun's group. Verbs are added by their own files. */
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerSnapshotsVerify } from './snapshots-verify.js';
import {
  registerSnapshotCreate,
  registerSnapshotDelete,
  registerSnapshotDownload,
  registerSnapshotList,
  registerSnapshotRestore,
  registerSnapshotUpload,
} from './snapshots-remote.js';

export type SnapshotVerb = (group: Command, output: Output) => void;

/** Verb registrations for `cfy snapshots`, one line each. */
const verbs: SnapshotVerb[] = [
  registerSnapshotCreate,
  registerSnapshotList,
  registerSnapshotDownload,
  registerSnapshotUpload,
  registerSnapshotRestore,
  registerSnapshotDelete,
  registerSnapshotsVerify,
];

export function registerSnapshotCommands(program: Command, output: Output): void {
  const group = program.command('snapshots').description('Manage snapshots');
  for (const verb of verbs) verb(group, output);
}
