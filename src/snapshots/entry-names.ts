/** Rules for entry names inside a snapshot archive, shared by the writer and the reader. */

/** The archive's description: versions, creation time, counts, encryption parameters. */
export const METADATA_ENTRY = 'metadata.json';
/** Every other entry with its size and SHA-256; written last. */
export const MANIFEST_ENTRY = 'manifest.json';
/** Names the writer reserves for itself. */
export const RESERVED_ENTRIES: ReadonlySet<string> = new Set([METADATA_ENTRY, MANIFEST_ENTRY]);

const MAX_NAME_BYTES = 1024;

/**
 * Why `name` is not a safe, portable entry name, or `undefined` when it is.
 * Safe: relative, `/`-separated, no empty, `.` or `..` segment, no backslash, no drive letter,
 * no control character, at most 1024 UTF-8 bytes.
 */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`;
  if (name.includes('\\')) return 'the name contains a backslash';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a control character';
  if (name.startsWith('/')) return 'the name is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'the name starts with a drive letter';
  const segments = name.split('/');
  if (segments.includes('..')) return "the name contains a '..' segment that escapes the archive folder";
  if (segments.includes('.')) return "the name contains a '.' segment";
  if (segments.includes('')) return 'the name contains an empty segment (a leading, trailing or doubled slash)';
  return undefined;
}

/** Unix file type bits of a zip entry's external attributes (upper 16 bits hold `st_mode`). */
export function unixFileType(externalAttributes: number): number {
  return ((externalAttributes >>> 16) & 0o170000) >>> 0;
}

/** True when the entry's mode bits say symbolic link. */
export function isSymlinkAttributes(externalAttributes: number): boolean {
  return unixFileType(externalAttributes) === 0o120000;
}

/** True when the mode bits name something other than a regular file (0 = not recorded). */
export function isSpecialFileAttributes(externalAttributes: number): boolean {
  const type = unixFileType(externalAttributes);
  return type !== 0 && type !== 0o100000;
}
