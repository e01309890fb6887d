/**
 * The file half of an atomic restore. Restored blueprint files are staged in a folder beside the
 * live `<data>/blueprints`; the storage transaction records a journal row (`manager_state`
 * key {@link RESTORE_JOURNAL_KEY}) naming the staging folder, so after the commit the swap is
 * rolled forward even if the process dies between the commit and the renames
 * ({@link recoverBlueprintSwap} at start). Without a committed journal, leftovers are removed.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../core/index.js';
import type { StoragePort } from '../storage/index.js';

/** manager_state key of the pending file swap. */
export const RESTORE_JOURNAL_KEY = 'snapshot_restore_files';

/** What the journal row holds. */
export interface BlueprintSwapJournal {
  /** Live folder (`<data>/blueprints`). */
  live: string;
  /** Staged restored files, beside the live folder. */
  staging: string;
  /** `replace`: staging becomes the live folder; `merge`: its top-level entries move into it. */
  mode: 'replace' | 'merge';
}

const STAGING_PREFIX = '.blueprints-restore-';
const OLD_PREFIX = '.blueprints-old-';

const exists = async (path: string): Promise<boolean> => (await lstat(path).catch(() => undefined)) !== undefined;

/** A new, empty staging folder beside `live`. */
export async function newStagingDir(live: string): Promise<string> {
  const staging = join(dirname(live), `${STAGING_PREFIX}${basename(live)}-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  return staging;
}

/** Moves staged files live (idempotent: safe to run again after a crash part-way). */
export async function applyBlueprintSwap(journal: BlueprintSwapJournal): Promise<void> {
  const { live, staging } = journal;
  if (!(await exists(staging))) return; // done already
  if (journal.mode === 'merge') {
    await mkdir(live, { recursive: true });
    for (const name of await readdir(staging)) {
      if (!(await exists(join(live, name)))) await rename(join(staging, name), join(live, name));
    }
    await rm(staging, { recursive: true, force: true });
  } else {
    const old = join(dirname(live), `${OLD_PREFIX}${basename(live)}-${randomBytes(6).toString('hex')}`);
    if (await exists(live)) await rename(live, old);
    await rename(staging, live);
    fsyncDir(dirname(live));
    await rm(old, { recursive: true, force: true });
  }
  fsyncDir(dirname(live));
}

/**
 * Start-up recovery: finishes a swap whose storage transaction committed (journal present),
 * then removes staging and old folders left beside `live` by an interrupted restore.
 * Returns what it did, for the log.
 */
export async function recoverBlueprintSwap(storage: StoragePort, live: string): Promise<string[]> {
  const done: string[] = [];
  const journal = (await storage.managerState.get(RESTORE_JOURNAL_KEY)) as BlueprintSwapJournal | undefined | null;
  if (journal && typeof journal === 'object' && typeof journal.staging === 'string') {
    await applyBlueprintSwap({ ...journal, live });
    await storage.managerState.delete(RESTORE_JOURNAL_KEY);
    done.push(`finished the blueprint file swap of an interrupted restore (${journal.staging})`);
  }
  const parent = dirname(live);
  const names = (await exists(parent)) ? await readdir(parent) : [];
  for (const name of names) {
    if (name.startsWith(`${STAGING_PREFIX}${basename(live)}-`) || name.startsWith(`${OLD_PREFIX}${basename(live)}-`)) {
      await rm(join(parent, name), { recursive: true, force: true });
      done.push(`removed ${name} left by an interrupted restore`);
    }
  }
  return done;
}
