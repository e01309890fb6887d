/** Pass-through streams that measure what flows through them: SHA-256, size, NDJSON lines. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** What a {@link DigestStream} measured. */
export interface Digest {
  sha256: string;
  size: number;
  /** Newline-terminated lines (a last line without a newline counts too). */
  lines: number;
}

/**
 * Hashes, counts bytes and counts lines of the bytes passing through, unchanged.
 * With `{ hash: false }` it only counts (`sha256` is then empty).
 */
export class DigestStream extends Transform {
  readonly #hash: Hash | undefined;
  #size = 0;
  #lines = 0;
  #lastByte = 0x0a;
  #result: Digest | undefined;

  constructor(options: { hash?: boolean } = {}) {
    super();
    this.#hash = options.hash === false ? undefined : createHash('sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash?.update(chunk);
    this.#size += chunk.length;
    this.#lines += countNewlines(chunk);
    if (chunk.length > 0) this.#lastByte = chunk[chunk.length - 1]!;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#result = {
      sha256: this.#hash?.digest('hex') ?? '',
      size: this.#size,
      lines: this.#lines + (this.#lastByte === 0x0a ? 0 : 1),
    };
    callback();
  }

  /** The measurement; only after the stream finished. */
  get digest(): Digest {
    if (this.#result === undefined) throw new Error('DigestStream: digest read before the stream finished');
    return this.#result;
  }
}

/** Number of `\n` bytes in `chunk`. */
export function countNewlines(chunk: Buffer): number {
  let count = 0;
  let at = chunk.indexOf(0x0a);
  while (at !== -1) {
    count += 1;
    at = chunk.indexOf(0x0a, at + 1);
  }
  return count;
}
