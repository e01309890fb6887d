/** Small JSON file helpers for the local state store: atomic writes, tolerant reads. */
import { readFileSync } from 'node:fs';
import { UnexpectedError, writeFileAtomic } from '../../core/index.js';

/** Writes `value` as JSON atomically (temp file + fsync + rename). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a JSON file; null when it does not exist. A file that does not parse is a corrupt store. */
export function readJson<T>(path: string): T | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new UnexpectedError('local_state_corrupt', `Local state file ${path} is not valid JSON`, {
      cause,
      details: { path },
      hints: [
        'Files are written atomically, so this should not happen: please report it',
        "Run 'cfy local init' again to start over",
      ],
    });
  }
}
