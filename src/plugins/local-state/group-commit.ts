/**
 * Group commit for the local state's append-only journals. Lines keep the order of the calls;
 * the lines appended in one turn of the event loop are written together (one `write` per file)
 * in a microtask, before any caller awaiting one of them resumes, so a process crash loses no
 * line whose call was seen to complete. Making them durable (fsync) is shared: every caller
 * waiting in the same window shares one fsync per dirty file, so N concurrent writers cost one
 * fsync per window instead of N.
 *
 * Durability is a prefix of the write order: when {@link GroupCommit.durable} resolves, every
 * line appended before the call, in every file of the group, is on disk. Design and guarantees:
 * docs/decisions/engine-local-state-group-commit.md.
 */
import {
  appendFileSync,
  closeSync,
  fstatSync,
  fsync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
} from 'node:fs';

/** One append-only file of a {@link GroupCommit}. */
export class JournalFile {
  readonly path: string;
  readonly #group: GroupCommit;
  /** Open while lines appended through it are not synced yet (opened at the first of them). */
  #fd: number | null = null;
  #checked = false;
  /** Lines appended but not written yet (written together, see {@link GroupCommit.writeAll}). */
  #pending: string[] = [];

  constructor(path: string, group: GroupCommit) {
    this.path = path;
    this.#group = group;
  }

  /**
   * Appends `line` (without its newline): written with the other lines of this turn of the event
   * loop before any caller awaiting this one resumes, durable once the group's next sync
   * completes.
   */
  append(line: string): void {
    // After a crash the journal may end in a torn line: start on a fresh line.
    const separator = this.#checked || endsWithNewline(this.path) ? '' : '\n';
    this.#checked = true;
    // Opened now: the lines go to the file this path names at the call, even if it is replaced.
    this.#fd ??= openSync(this.path, 'a');
    this.#pending.push(`${separator}${line}\n`);
    this.#group.markDirty(this);
  }

  /** Writes the pending lines, in one `write`. */
  writePending(): void {
    if (this.#pending.length === 0 || this.#fd === null) return;
    const text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    appendFileSync(this.#fd, text);
  }

  /** Writes the pending lines and hands the descriptor over to a sync (later appends open a new one). */
  takeDescriptor(): number | null {
    this.writePending();
    const fd = this.#fd;
    this.#fd = null;
    return fd;
  }
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/** How a window's fsyncs run (node's asynchronous `fs.fsync` by default; tests inject one). */
export type AsyncFsync = (
  fd: number,
  callback: (error: NodeJS.ErrnoException | null) => void,
) => void;

/** The files written together and synced together. */
export class GroupCommit {
  #dirty = new Set<JournalFile>();
  /** Files whose lines an asynchronous fsync is making durable right now. */
  #inFlight: JournalFile[] = [];
  #waiters: Waiter[] = [];
  #syncing = false;
  #writeScheduled = false;
  /** A failed background write: reported by the next durable(), flushSync() or writeAll(). */
  #writeError: Error | null = null;
  readonly #fsync: AsyncFsync;

  constructor(asyncFsync: AsyncFsync = fsync) {
    this.#fsync = asyncFsync;
  }

  /** Called by {@link JournalFile.append}: schedules the write of this turn's lines. */
  markDirty(file: JournalFile): void {
    this.#dirty.add(file);
    if (this.#writeScheduled) return;
    this.#writeScheduled = true;
    // A microtask: before the continuation of whoever awaits the appending call.
    queueMicrotask(() => {
      this.#writeScheduled = false;
      try {
        this.writeAll();
      } catch (error) {
        this.#writeError ??= error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Writes every pending line of the group's files now (readers call it before reading). */
  writeAll(): void {
    if (this.#writeError) throw this.#writeError;
    for (const file of this.#dirty) file.writePending();
  }

  /** Resolves once every line appended so far, in any file of the group, is on disk. */
  durable(): Promise<void> {
    try {
      this.writeAll();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#dirty.size === 0 && !this.#syncing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#syncing) this.#sync();
    });
  }

  /**
   * Synchronously makes every line written so far durable (before a write that must follow
   * them on disk), including lines an asynchronous window is still syncing.
   */
  flushSync(): void {
    this.writeAll();
    const files = [...this.#dirty];
    this.#dirty.clear();
    for (const file of files) {
      const fd = file.takeDescriptor();
      if (fd === null) continue;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    for (const file of this.#inFlight) if (!files.includes(file)) fsyncPathSync(file.path);
  }

  /** One window: syncs the files dirty now, then releases the callers that waited before it. */
  #sync(): void {
    this.#syncing = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#inFlight = [...this.#dirty];
    const fds = this.#inFlight.map((f) => f.takeDescriptor()).filter((fd) => fd !== null);
    this.#dirty.clear();
    let left = fds.length;
    let failure: Error | null = null;
    const done = (): void => {
      this.#inFlight = [];
      for (const w of waiters)
        if (failure) w.reject(failure);
        else w.resolve();
      if (this.#waiters.length > 0) this.#sync();
      else this.#syncing = false;
    };
    if (left === 0) {
      // Lines were synced by flushSync in the meantime: nothing to wait for.
      queueMicrotask(done);
      return;
    }
    for (const fd of fds) {
      this.#fsync(fd, (error) => {
        if (error) failure ??= error;
        closeSync(fd);
        if (--left === 0) done();
      });
    }
  }
}

/** fsync through a fresh descriptor (the file's data, whoever wrote it); a missing file is skipped. */
function fsyncPathSync(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The parsed lines of a journal, in order; none when it is missing. A torn line is skipped. */
export function readJournalLines<T>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const lines: T[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as T);
    } catch {
      // a torn last line after a crash
    }
  }
  return lines;
}

/** True when the file is missing, empty or ends with a newline. */
function endsWithNewline(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return true;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 10;
  } finally {
    closeSync(fd);
  }
}
