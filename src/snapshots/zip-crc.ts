/**
 * yazl computes every entry's CRC-32 with `buffer-crc32`, a byte-at-a-time JavaScript loop that
 * cost more CPU than deflate itself when writing a snapshot (~100 MB/s, profiled). Node has the
 * same checksum natively (`zlib.crc32`, zlib's SIMD code); this points yazl's copy of
 * `buffer-crc32` at it once. Same polynomial, same continuation argument, same unsigned result:
 * archives are byte-identical. See docs/decisions/snapshots-fast-export.md.
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

interface BufferCrc32 {
  unsigned(buffer: Buffer | string, previous?: number): number;
}

let installed = false;

/** Makes yazl's CRC-32 native (idempotent; a no-op on a Node without `zlib.crc32`). */
export function useNativeZipCrc32(): void {
  if (installed) return;
  installed = true;
  const native = (zlib as { crc32?: (data: Buffer | string, value?: number) => number }).crc32;
  if (typeof native !== 'function') return;
  const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
  const crc = fromYazl('buffer-crc32') as BufferCrc32;
  crc.unsigned = (buffer, previous) => native(buffer, typeof previous === 'number' ? previous >>> 0 : 0);
}
