/**
 * A minimal ustar writer and reader for the manager-deployment dump (regular files and folders
 * only, names up to 255 bytes via the prefix field). Enough for `.cloudify/bootstrap/manager/`.
 */
import { UserError } from '../../core/index.js';

const BLOCK = 512;

/** One entry: a folder (`data` undefined, name ends with `/`) or a file. */
export interface TarEntry {
  name: string;
  data?: Buffer;
  mode?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  const cut = name.lastIndexOf('/', name.length - 2);
  const prefix = name.slice(0, cut);
  const rest = name.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(rest) > 100) {
    throw new UserError('manager_dump_path_too_long', `Cannot store '${name}' in the manager-deployment dump: path too long`);
  }
  return { prefix, name: rest };
}

function header(entry: TarEntry): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitName(entry.name);
  const isDir = entry.data === undefined;
  block.write(name, 0, 100, 'utf8');
  block.write(octal(entry.mode ?? (isDir ? 0o755 : 0o644), 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(entry.data?.length ?? 0, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(isDir ? '5' : '0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

/** Packs entries into a tar stream (uncompressed). */
export function packTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    if (entry.data) {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Reads a tar stream made of regular files and folders. */
export function unpackTar(tar: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    const name = field(block, 0, 100);
    const prefix = field(block, 345, 155);
    const size = parseInt(field(block, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(block[156] ?? 48);
    const mode = parseInt(field(block, 100, 8).trim() || '644', 8);
    const full = prefix ? `${prefix}/${name}` : name;
    offset += BLOCK;
    if (type === '5') out.push({ name: full.endsWith('/') ? full : `${full}/`, mode });
    else if (type === '0' || type === '\0') out.push({ name: full, data: Buffer.from(tar.subarray(offset, offset + size)), mode });
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
