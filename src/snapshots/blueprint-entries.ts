/**
 * Blueprint files of a manager's data dir as archive entries (`blueprints/<id>/...` and
 * `blueprints/<id>.archive`), read lazily one file at a time. Only blueprints in `ids` are taken
 * (the ids of the storage export), so files and rows describe the same point in time.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotEntryInput } from './writer.js';

/** Prefix of blueprint file entries inside a manager snapshot. */
export const BLUEPRINT_ENTRY_PREFIX = 'blueprints/';

/** Every regular file under `dir`, relative, `/`-separated, sorted; symlinks are skipped. */
async function* walk(dir: string, prefix = ''): AsyncGenerator<string> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const stats = await lstat(join(dir, name));
    if (stats.isDirectory()) yield* walk(join(dir, name), `${prefix}${name}/`);
    else if (stats.isFile()) yield `${prefix}${name}`;
  }
}

/**
 * Entries for the blueprint files of `ids` under `root` (`<data>/blueprints`). A blueprint whose
 * folder vanished meanwhile (deleted after the export) is reported through `onMissing`.
 */
export async function* blueprintFileEntries(
  root: string,
  ids: Iterable<string>,
  onMissing: (id: string) => void = () => undefined,
): AsyncGenerator<SnapshotEntryInput> {
  for (const id of [...ids].sort()) {
    const dir = join(root, id);
    const stats = await lstat(dir).catch(() => undefined);
    if (!stats?.isDirectory()) {
      onMissing(id);
      continue;
    }
    for await (const rel of walk(dir)) yield { name: `${BLUEPRINT_ENTRY_PREFIX}${id}/${rel}`, source: join(dir, rel) };
    const archive = join(root, `${id}.archive`);
    if ((await lstat(archive).catch(() => undefined))?.isFile()) yield { name: `${BLUEPRINT_ENTRY_PREFIX}${id}.archive`, source: archive };
  }
}
