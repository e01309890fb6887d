/**
 * Chunked streaming AES-256-GCM for one archive entry.
 *
 * Envelope: a 28-byte header `"RKSE" | version u8 | flags u8 | reserved u16 | chunkSize u32 BE |
 * entrySalt (16)`, then frames `final u8 | length u32 BE | ciphertext | tag (16)`. Each frame is
 * sealed with a per-entry key (HKDF of the archive key and the entry salt), nonce = the frame
 * counter, and AAD = header || entry name || counter || final flag: frames cannot be reordered,
 * dropped, moved to another entry, or cut off after the last full one (the final flag is
 * authenticated and required).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { newSalt, subkey, type ArchiveKeys } from './crypto.js';
import { corruptEntry, snapshotError } from './errors.js';

const MAGIC = Buffer.from('RKSE');
const ENVELOPE_VERSION = 1;
const HEADER_BYTES = 28;
const FRAME_HEAD_BYTES = 5;
const TAG_BYTES = 16;
/** Plaintext bytes per frame. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Flag bit: the plaintext was deflate-raw compressed before encryption. */
export const FLAG_DEFLATE = 1;

function nonce(counter: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(counter), 4);
  return iv;
}

function aad(header: Buffer, name: string, counter: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(counter), 0);
  tail[8] = final ? 1 : 0;
  return Buffer.concat([header, Buffer.from(name, 'utf8'), Buffer.from([0]), tail]);
}

/** A Transform that turns plaintext into the encrypted envelope of entry `name`. */
export function createEntryEncryptor(keys: ArchiveKeys, name: string, flags: number, chunkSize = DEFAULT_CHUNK_SIZE): Transform {
  const salt = newSalt();
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[4] = ENVELOPE_VERSION;
  header[5] = flags;
  header.writeUInt32BE(chunkSize, 8);
  salt.copy(header, 12);
  const key = subkey(keys, 'entry', salt);
  let counter = 0;
  // Plaintext is gathered into one chunk-sized buffer: no concatenation, one copy per byte.
  const plain = Buffer.allocUnsafe(chunkSize);
  let filled = 0;

  const seal = (final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(counter));
    cipher.setAAD(aad(header, name, counter, final));
    const frame = Buffer.allocUnsafe(FRAME_HEAD_BYTES + filled + TAG_BYTES);
    frame[0] = final ? 1 : 0;
    frame.writeUInt32BE(filled, 1);
    const body = cipher.update(plain.subarray(0, filled));
    body.copy(frame, FRAME_HEAD_BYTES);
    cipher.final(); // GCM emits no further bytes
    cipher.getAuthTag().copy(frame, FRAME_HEAD_BYTES + filled);
    counter += 1;
    filled = 0;
    return frame;
  };

  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === chunkSize) this.push(seal(false)); // seal only when more data follows
        const n = chunk.copy(plain, filled, offset, Math.min(chunk.length, offset + chunkSize - filled));
        filled += n;
        offset += n;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      callback(null, seal(true));
    },
  });
}

/** The parsed envelope header, available once the first bytes arrived. */
export interface EnvelopeHeader {
  flags: number;
  chunkSize: number;
}

/**
 * A Transform that checks and opens the envelope of entry `name`. `onHeader` runs once the header
 * is parsed. A failure stops the output at once but is raised only when the input ends, so an
 * upstream hash check (which names the damaged entry more precisely) reports first.
 */
export function createEntryDecryptor(keys: ArchiveKeys, name: string, onHeader?: (header: EnvelopeHeader) => void): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let chunkSize = 0;
  let counter = 0;
  let sawFinal = false;

  const step = (push: (b: Buffer) => void): void => {
    if (header === undefined) {
      if (buffered.length < HEADER_BYTES) return;
      header = Buffer.from(buffered.subarray(0, HEADER_BYTES));
      if (!header.subarray(0, 4).equals(MAGIC) || header[4] !== ENVELOPE_VERSION) {
        throw corruptEntry(name, 'it is not an encrypted snapshot entry (bad envelope header)');
      }
      chunkSize = header.readUInt32BE(8);
      if (chunkSize === 0 || chunkSize > MAX_CHUNK_SIZE) throw corruptEntry(name, `invalid chunk size ${chunkSize}`);
      key = subkey(keys, 'entry', header.subarray(12, 28));
      buffered = buffered.subarray(HEADER_BYTES);
      onHeader?.({ flags: header[5] ?? 0, chunkSize });
    }
    while (buffered.length >= FRAME_HEAD_BYTES) {
      if (sawFinal) throw corruptEntry(name, 'data follows the final encrypted chunk');
      const final = buffered[0] === 1;
      const length = buffered.readUInt32BE(1);
      if (buffered[0]! > 1 || length > chunkSize) throw corruptEntry(name, `invalid encrypted chunk ${counter}`);
      const frameBytes = FRAME_HEAD_BYTES + length + TAG_BYTES;
      if (buffered.length < frameBytes) return;
      const decipher = createDecipheriv('aes-256-gcm', key!, nonce(counter));
      decipher.setAAD(aad(header, name, counter, final));
      decipher.setAuthTag(buffered.subarray(FRAME_HEAD_BYTES + length, frameBytes));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buffered.subarray(FRAME_HEAD_BYTES, FRAME_HEAD_BYTES + length)), decipher.final()]);
      } catch (cause) {
        throw snapshotError(
          'snapshot_corrupt_error',
          `Snapshot entry '${name}' failed authentication at encrypted chunk ${counter} (tampered or corrupted)`,
          { entry: name, chunk: counter },
          { cause },
        );
      }
      counter += 1;
      sawFinal = final;
      buffered = buffered.subarray(frameBytes);
      if (plain.length > 0) push(plain);
    }
  };

  let failure: Error | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (failure !== undefined) return callback();
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      try {
        step((b) => this.push(b));
      } catch (error) {
        failure = error as Error;
        buffered = Buffer.alloc(0);
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (failure !== undefined) return callback(failure);
      if (!sawFinal || buffered.length > 0) {
        callback(snapshotError('snapshot_truncated_error', `Snapshot entry '${name}' is truncated: its encrypted stream has no final chunk`, { entry: name }));
        return;
      }
      callback();
    },
  });
}
