/** Where a snapshot passphrase comes from: a file or an environment variable, never argv. */
import { readFile } from 'node:fs/promises';
import { snapshotError } from './errors.js';

/** The environment variable read when no passphrase file is given. */
export const PASSPHRASE_ENV = 'REKINDLE_SNAPSHOT_PASSPHRASE';

/**
 * The passphrase from `file` (first line, trailing newline stripped) or else from
 * `REKINDLE_SNAPSHOT_PASSPHRASE`; `undefined` when neither is set.
 */
export async function readPassphrase(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw snapshotError('snapshot_passphrase_required_error', `Cannot read the passphrase file '${file}'`, { file }, { cause });
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase.length === 0) throw snapshotError('snapshot_passphrase_required_error', `The passphrase file '${file}' is empty`, { file });
    return passphrase;
  }
  const value = env[PASSPHRASE_ENV];
  return value === undefined || value === '' ? undefined : value;
}
