/**
 * Snapshot archives in the data dir: `<data>/snapshots/<id>/<id>.zip`. Uploads stream to a temp
 * file in that folder and are renamed into place; temp files (`.*.tmp`) of interrupted creates
 * and uploads are removed at start.
 */
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsyncDir } from '../../core/index.js';
import { badParameters, payloadTooLarge } from '../errors.js';

export class SnapshotFiles {
  readonly root: string;
  constructor(dataDir: string) {
    this.root = join(dataDir, 'snapshots');
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  archivePath(id: string): string {
    return join(this.root, id, `${id}.zip`);
  }

  /** Creates the snapshot's folder; returns the archive path. */
  async prepare(id: string): Promise<string> {
    await mkdir(this.dir(id), { recursive: true });
    return this.archivePath(id);
  }

  async size(id: string): Promise<number | undefined> {
    return (await stat(this.archivePath(id)).catch(() => undefined))?.size;
  }

  /** Streams `body` to the snapshot's archive (temp file + fsync + rename). Returns the size. */
  async receive(id: string, body: Readable, maxBytes: number): Promise<number> {
    const target = await this.prepare(id);
    const tmp = join(this.dir(id), `.upload.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) done(payloadTooLarge(`The snapshot upload exceeds ${maxBytes} bytes`, { limit: maxBytes }));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      if (size === 0) throw badParameters('The snapshot upload is empty: send the archive bytes as the request body');
      const handle = await open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
      fsyncDir(this.dir(id));
      return size;
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Removes temp files under `<data>/snapshots/<id>/` (of one id, or of all). Returns their paths. */
  async removeTemps(id?: string): Promise<string[]> {
    const ids = id !== undefined ? [id] : await readdir(this.root).catch(() => [] as string[]);
    const removed: string[] = [];
    for (const each of ids) {
      const dir = this.dir(each);
      if (!(await lstat(dir).catch(() => undefined))?.isDirectory()) continue;
      for (const name of await readdir(dir)) {
        if (name.startsWith('.') && name.endsWith('.tmp')) {
          await rm(join(dir, name), { force: true });
          removed.push(join(dir, name));
        }
      }
    }
    return removed;
  }
}
