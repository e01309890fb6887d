/**
 * Writes the entries under a prefix (e.g. `blueprints/my-bp/`) into a folder, refusing anything
 * that could land outside it: unsafe names, symlinked folders on the way, existing files.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unsafeNameReason } from './entry-names.js';
import { snapshotError } from './errors.js';

/** What extraction needs from an opened archive. */
export interface ExtractableArchive {
  entries(): readonly { name: string }[];
  readEntry(name: string): Promise<Readable>;
}

const unsafe = (entry: string, reason: string): Error =>
  snapshotError('snapshot_unsafe_path_error', `Refusing to extract snapshot entry '${entry}': ${reason}`, { entry, reason });

/**
 * Extracts every entry whose name starts with `prefix` into `dir` (the prefix is stripped).
 * Existing files are never overwritten and symlinks are never followed. Returns the written paths.
 */
export async function extractEntries(archive: ExtractableArchive, prefix: string, dir: string): Promise<string[]> {
  if (prefix !== '' && !prefix.endsWith('/')) prefix = `${prefix}/`;
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const { name } of archive.entries()) {
    if (!name.startsWith(prefix)) continue;
    const rel = name.slice(prefix.length);
    const reason = unsafeNameReason(rel);
    if (reason !== undefined) throw unsafe(name, reason);
    const target = join(root, rel);
    const back = relative(root, target);
    if (back.startsWith('..') || isAbsolute(back)) throw unsafe(name, 'it resolves outside the target folder');
    await makeParents(root, rel.split('/').slice(0, -1), name);
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644).catch((cause: unknown) => {
      throw snapshotError('snapshot_unsafe_path_error', `Refusing to extract snapshot entry '${name}': '${target}' already exists or cannot be created`, { entry: name, reason: 'target exists' }, { cause });
    });
    try {
      // The write stream owns the handle from here: it fsyncs (flush) and closes it, also on error.
      await pipeline(await archive.readEntry(name), handle.createWriteStream({ flush: true }));
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(target, { force: true });
      throw error;
    }
    written.push(target);
  }
  return written;
}

async function makeParents(root: string, segments: readonly string[], entry: string): Promise<void> {
  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) {
      await mkdir(current);
    } else if (info.isSymbolicLink() || !info.isDirectory()) {
      throw unsafe(entry, `'${current}' is a symbolic link or not a folder`);
    }
  }
}
