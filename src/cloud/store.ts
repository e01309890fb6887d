/** Loads and saves the cloud state (state.json in the data folder), atomically. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, writeFileAtomic } from '../core/index.js';
import { emptyState, type CloudState } from './state.js';

/** Holds the state in memory and writes it through on {@link StateStore.save}. */
export class StateStore {
  readonly path: string;
  readonly state: CloudState;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'state.json');
    this.state = existsSync(this.path) ? readState(this.path) : emptyState();
  }

  /** Writes the whole state (temp file + fsync + rename). */
  save(): void {
    writeFileAtomic(this.path, `${JSON.stringify(this.state, null, 1)}\n`);
  }
}

function readState(path: string): CloudState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UserError(
      'cloud_state_unreadable',
      `The cloud state file ${path} is not valid JSON`,
      {
        cause,
        details: { path },
        hints: ['Restore it from a backup, or move it away to start an empty cloud'],
      },
    );
  }
  const state = parsed as Partial<CloudState>;
  if (state.version !== 1) {
    throw new UserError(
      'cloud_state_unreadable',
      `The cloud state file ${path} has an unknown format version`,
      {
        details: { path, version: state.version },
        hints: [
          'It was written by another Rekindle version; use that version or start an empty data folder',
        ],
      },
    );
  }
  return { ...emptyState(), ...state };
}
