/** The chunked AES-GCM envelope on its own: sizes around chunk boundaries, and tampering. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { createEntryDecryptor, createEntryEncryptor } from '../../src/snapshots/chunked-cipher.js';
import { deriveMasterKey } from '../../src/snapshots/crypto.js';
import { expectCode, fastScrypt } from './helpers.js';

const CHUNK = 1024;
const HEADER = 28;
const FRAME = (n: number): number => 5 + n + 16;

async function run(input: Buffer, transform: Transform): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from([input]).pipe(transform)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const keys = await deriveMasterKey('pw', Buffer.alloc(16, 3), fastScrypt);
const seal = (plain: Buffer, name = 'e'): Promise<Buffer> => run(plain, createEntryEncryptor(keys, name, 0, CHUNK));
const open = (sealed: Buffer, name = 'e'): Promise<Buffer> => run(sealed, createEntryDecryptor(keys, name));

test('round trip at and around chunk boundaries', async () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5]) {
    const plain = randomBytes(size);
    const sealed = await seal(plain);
    assert.equal(sealed.length, HEADER + Math.max(1, Math.ceil(size / CHUNK)) * 21 + size, `envelope size for ${size}`);
    assert.deepEqual(await open(sealed), plain, `size ${size}`);
  }
});

test('dropping the final frame is snapshot_truncated_error', async () => {
  const sealed = await seal(randomBytes(2 * CHUNK + 10));
  await expectCode(() => open(sealed.subarray(0, HEADER + 2 * FRAME(CHUNK))), 'snapshot_truncated_error');
  await expectCode(() => open(sealed.subarray(0, sealed.length - 3)), 'snapshot_truncated_error');
});

test('swapped frames, a flipped final flag, another entry name or another key fail authentication', async () => {
  const sealed = await seal(randomBytes(3 * CHUNK + 10));
  const a = HEADER;
  const b = HEADER + FRAME(CHUNK);
  const swapped = Buffer.concat([sealed.subarray(0, a), sealed.subarray(b, b + FRAME(CHUNK)), sealed.subarray(a, b), sealed.subarray(b + FRAME(CHUNK))]);
  await expectCode(() => open(swapped), 'snapshot_corrupt_error');
  const flagged = Buffer.from(sealed);
  flagged[HEADER] = 1; // claim the first frame is the last
  await expectCode(() => open(flagged), 'snapshot_corrupt_error');
  await expectCode(() => open(sealed, 'other-entry'), 'snapshot_corrupt_error');
  const otherKeys = await deriveMasterKey('other', Buffer.alloc(16, 3), fastScrypt);
  await expectCode(() => run(sealed, createEntryDecryptor(otherKeys, 'e')), 'snapshot_corrupt_error');
});

test('data after the final frame is refused', async () => {
  const sealed = await seal(randomBytes(10));
  await expectCode(() => open(Buffer.concat([sealed, sealed.subarray(HEADER)])), 'snapshot_corrupt_error');
});
