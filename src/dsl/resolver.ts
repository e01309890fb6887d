/**
 * Import resolution. Rekindle never fetches anything over the network: well-known Cloudify
 * URLs map to the type files shipped in `resources/dsl/`, other URLs need a user mapping
 * (`--import-mapping FILE`), relative imports are files next to the importing file.
 */
import { posix as path } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Reads files for the parser. The only I/O the DSL stage does goes through this port. */
export interface FileReaderPort {
  /** The file's text, or null when it does not exist or cannot be read. */
  readText(file: string): string | null;
  /** True when the file exists. */
  exists(file: string): boolean;
}

/** An import that was found. */
export interface ResolvedImport {
  file: string;
  text: string;
}

/** Why an import could not be found. */
export interface ImportFailure {
  error: string;
}

/** Turns an import reference into a file's text. */
export interface ImportResolver {
  /** Resolves `ref` as written in `fromFile`'s `imports`. */
  resolve(ref: string, fromFile: string): ResolvedImport | ImportFailure;
  /** True when `file` (an absolute path in the blueprint folder) exists, for script mappings. */
  exists(file: string): boolean;
}

/** URL -> absolute file path. A key ending in `/` maps every URL under that prefix. */
export type ImportMapping = Readonly<Record<string, string>>;

export interface ImportResolverOptions {
  files: FileReaderPort;
  /** The folder holding Rekindle's shipped DSL files (`resources/dsl`). */
  resourcesDir: string;
  /** User mappings, checked before the built-in ones. */
  mapping?: ImportMapping;
}

/** Built-in URL patterns and the shipped file each maps to (relative to resourcesDir). */
const WELL_KNOWN: readonly { pattern: RegExp; file: string }[] = [
  {
    pattern:
      /^https?:\/\/(?:www\.)?getcloudify\.org\/spec\/cloudify\/3\.\d+(?:\.\d+)?(?:m\d+|rc\d+)?\/types\.yaml$/,
    file: 'cloudify/3.3/types.yaml',
  },
  ...['openstack', 'fabric', 'diamond', 'script'].map((name) => ({
    pattern: new RegExp(
      `^https?://(?:www\\.)?getcloudify\\.org/spec/${name}-plugin/1\\.\\d+(?:\\.\\d+)?(?:m\\d+|rc\\d+)?/plugin\\.yaml$`,
    ),
    file: `${name}-plugin/1.3/plugin.yaml`,
  })),
];

/** The shipped file a well-known URL maps to (relative to resourcesDir), or null. */
export function wellKnownImport(url: string): string | null {
  return WELL_KNOWN.find((w) => w.pattern.test(url))?.file ?? null;
}

function isUrl(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) && !ref.startsWith('file://');
}

/** Creates the resolver used by the CLI and the manager. Pure apart from `files`. */
export function createImportResolver(options: ImportResolverOptions): ImportResolver {
  const mapping = options.mapping ?? {};
  const prefixes = Object.keys(mapping)
    .filter((k) => k.endsWith('/'))
    .sort((a, b) => b.length - a.length);
  const read = (file: string, ref: string): ResolvedImport | ImportFailure => {
    const text = options.files.readText(file);
    return text === null ? { error: `Import '${ref}' not found: no file ${file}` } : { file, text };
  };
  return {
    exists: (file) => options.files.exists(file),
    resolve(ref, fromFile) {
      if (isUrl(ref)) {
        const mapped = mapping[ref];
        if (mapped !== undefined) return read(mapped, ref);
        const prefix = prefixes.find((p) => ref.startsWith(p));
        if (prefix !== undefined)
          return read(path.join(mapping[prefix]!, ref.slice(prefix.length)), ref);
        const known = wellKnownImport(ref);
        if (known !== null) return read(path.join(options.resourcesDir, known), ref);
        return {
          error: `Cannot resolve import '${ref}': Rekindle does not download imports. Map the URL to a local file with --import-mapping FILE (a YAML file of 'URL: path' lines)`,
        };
      }
      const plain = ref.startsWith('file://') ? ref.slice('file://'.length) : ref;
      const file = path.isAbsolute(plain) ? plain : path.join(path.dirname(fromFile), plain);
      return read(path.normalize(file), ref);
    },
  };
}

/**
 * Parses an import mapping file: a YAML mapping of `URL: path` (paths relative to the mapping
 * file's folder). Throws a descriptive Error on a bad file; the CLI wraps it in a user error.
 */
export function parseImportMapping(text: string, mappingFile: string): Record<string, string> {
  const data: unknown = parseYaml(text);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new Error(`Import mapping ${mappingFile} must be a YAML mapping of 'URL: path'`);
  const out: Record<string, string> = {};
  for (const [url, target] of Object.entries(data as Record<string, unknown>)) {
    if (typeof target !== 'string')
      throw new Error(`Import mapping ${mappingFile}: the value for '${url}' must be a file path`);
    out[url] = path.isAbsolute(target) ? target : path.join(path.dirname(mappingFile), target);
  }
  return out;
}
