/** Saves a streamed response body to a file atomically (temp file, fsync, rename). */
import { createWriteStream, existsSync, renameSync, rmSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError, fsyncDir } from '../core/index.js';
import type { ProgressListener } from './rest-client.js';

/** The file name a `Content-Disposition: attachment; filename=...` header names, if any. */
export function dispositionFileName(response: Response): string | undefined {
  const header = response.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return match?.[1] ? basename(decodeURIComponent(match[1])) : undefined;
}

/** Writes the body to `target`; refuses to overwrite an existing file. Returns the byte count. */
export async function saveResponse(response: Response, target: string, onProgress?: ProgressListener): Promise<number> {
  if (existsSync(target)) {
    throw new UserError('output_exists_error', `Output file '${target}' already exists`, {
      hints: ['Remove it or pass another path with -o'],
    });
  }
  if (!response.body) throw new UserError('empty_response_error', 'The manager sent no content');
  const total = Number(response.headers.get('content-length') ?? '') || undefined;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.part`);
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      onProgress?.(done, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body), counter, createWriteStream(tmp));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, target);
    fsyncDir(dirname(target));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return done;
}
