/** The file-system adapter of {@link FileReaderPort}, and where the shipped DSL files live. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FileReaderPort } from './resolver.js';

/** Reads files from the local disk (synchronously: parsing is CPU-bound and small). */
export const nodeFileReader: FileReaderPort = {
  readText(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
  exists(file) {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
};

/** `resources/dsl` of this installation (works from `src/` through tsx and from `dist/`). */
export function defaultResourcesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'resources', 'dsl');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'dsl');
}
