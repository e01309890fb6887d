/**
 * Reads blueprint archives (tar, tar.gz, zip) into validated in-memory entries. Nothing touches
 * the disk here: every entry name is checked first (no `..`, no absolute path, no links or
 * devices) and sizes are bounded, so a hostile archive is refused as a whole.
 */
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { isRekindleError } from '../../core/index.js';
import { invalidBlueprint, payloadTooLarge } from '../errors.js';

/** One regular file of an archive, path relative to the archive root (posix separators). */
export interface ArchiveEntry {
  path: string;
  data: Buffer;
  /** Permission bits, when the archive records them (tar). */
  mode?: number;
}

export interface ArchiveLimits {
  /** Most entries (files + folders) an archive may hold. */
  maxEntries: number;
  /** Most bytes all files may hold once uncompressed. */
  maxBytes: number;
}

export type ArchiveKind = 'tar.gz' | 'tar' | 'zip' | 'yaml';

/** Guesses the format from the first bytes (gzip, zip, ustar), else YAML text. */
export function detectArchiveKind(body: Buffer): ArchiveKind {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) return 'tar.gz';
  if (body.length >= 4 && body.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (body.length >= 263 && body.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return 'yaml';
}

/**
 * Checks an entry name and returns it normalised (`./a/b` -> `a/b`), or null for the root.
 * Throws `invalid_blueprint_error` for absolute paths, drive letters, backslashes and `..`.
 */
export function safeEntryPath(name: string): string | null {
  if (name.includes('\0')) throw unsafe(name, 'contains a NUL character');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe(name, 'is an absolute path');
  if (name.includes('\\')) throw unsafe(name, 'contains a backslash');
  if (name.split('/').includes('..')) throw unsafe(name, "contains '..'");
  const normal = posix.normalize(name).replace(/\/+$/, '');
  if (normal === '.' || normal === '') return null;
  return normal;
}

function unsafe(name: string, why: string): Error {
  return invalidBlueprint(`Archive entry '${name}' ${why}; entries must stay inside the archive folder`, {
    entry: name,
  });
}

class Budget {
  entries = 0;
  bytes = 0;
  constructor(readonly limits: ArchiveLimits) {}
  entry(): void {
    if (++this.entries > this.limits.maxEntries) {
      throw payloadTooLarge(`The archive has more than ${this.limits.maxEntries} entries`, { limit: this.limits.maxEntries });
    }
  }
  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) {
      throw payloadTooLarge(`The archive holds more than ${this.limits.maxBytes} bytes uncompressed`, {
        limit: this.limits.maxBytes,
      });
    }
  }
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if ((field[0] ?? 0) & 0x80) throw invalidBlueprint(`Tar entry ${what} is too large`);
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw invalidBlueprint(`Malformed tar header (${what} '${text}')`);
  return parseInt(text, 8);
}

function cString(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function paxPath(data: Buffer): string | undefined {
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0) throw invalidBlueprint('Malformed pax header in tar archive');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') return record.slice(eq + 1);
    offset += length;
  }
  return undefined;
}

/** Reads a plain tar archive. */
export function readTar(tar: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const budget = new Budget(limits);
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return entries;
    const stored = octal(header, 148, 8, 'checksum');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    if (sum !== stored) throw invalidBlueprint('Malformed tar archive (header checksum mismatch)');
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + 512;
    if (dataStart + size > tar.length) throw invalidBlueprint('Malformed tar archive (truncated entry)');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    const prefix = cString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
    longName = undefined;
    switch (type) {
      case 'x':
        longName = paxPath(data);
        continue;
      case 'L':
        longName = data.toString('utf8').replace(/\0+$/, '');
        continue;
      case 'g':
        continue;
      case '0':
      case '\0':
      case '7': {
        budget.entry();
        budget.add(size);
        const path = safeEntryPath(name);
        const mode = octal(header, 100, 8, 'mode') & 0o777;
        if (path !== null) entries.push({ path, data: Buffer.from(data), ...(mode === 0 ? {} : { mode }) });
        continue;
      }
      case '5':
        budget.entry();
        safeEntryPath(name);
        continue;
      case '1':
      case '2':
        throw invalidBlueprint(`Archive entry '${name}' is a link; blueprint archives may hold only files and folders`, {
          entry: name,
        });
      default:
        throw invalidBlueprint(`Archive entry '${name}' has unsupported tar type '${type}'`, { entry: name });
    }
  }
  throw invalidBlueprint('Malformed tar archive (no end-of-archive marker)');
}

/** Reads a gzip-compressed tar archive (the gunzip output is bounded by the byte limit). */
export function readTarGz(body: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(body, { maxOutputLength: limits.maxBytes + limits.maxEntries * 1024 + 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw payloadTooLarge(`The archive holds more than ${limits.maxBytes} bytes uncompressed`);
    }
    throw invalidBlueprint(`Malformed tar.gz archive: ${(error as Error).message}`);
  }
  return readTar(tar, limits);
}

/** Reads a zip archive. */
export function readZip(body: Buffer, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  const budget = new Budget(limits);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(body, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) {
        reject(invalidBlueprint(`Malformed zip archive: ${err?.message ?? 'unreadable'}`));
        return;
      }
      const entries: ArchiveEntry[] = [];
      const fail = (error: unknown): void => {
        zip.close();
        reject(isRekindleError(error) ? error : invalidBlueprint(`Malformed zip archive: ${(error as Error).message}`));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          budget.entry();
          const path = safeEntryPath(entry.fileName);
          const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
          if (mode === 0o120000) {
            throw invalidBlueprint(`Archive entry '${entry.fileName}' is a link; blueprint archives may hold only files and folders`, {
              entry: entry.fileName,
            });
          }
          if (entry.fileName.endsWith('/') || path === null) {
            zip.readEntry();
            return;
          }
          budget.add(entry.uncompressedSize);
          zip.openReadStream(entry, (streamErr, stream) => {
            if (streamErr || !stream) {
              fail(streamErr ?? new Error('unreadable entry'));
              return;
            }
            const chunks: Buffer[] = [];
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('error', fail);
            stream.on('end', () => {
              entries.push({ path, data: Buffer.concat(chunks) });
              zip.readEntry();
            });
          });
        } catch (error) {
          fail(error);
        }
      });
      zip.readEntry();
    });
  });
}
