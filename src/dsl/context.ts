/** State shared by the parse steps: diagnostics, where each definition came from, versions. */
import type { DiagnosticCode, DiagnosticSink, PathSegments } from './diagnostics.js';
import type { ImportResolver } from './resolver.js';
import type { DslVersion } from './types.js';
import { atLeast } from './versions.js';
import { has, isMapping, type Mapping } from './util.js';

/** Mapping sections merged across imports. */
export const MERGED_SECTIONS = [
  'inputs',
  'outputs',
  'data_types',
  'node_types',
  'relationships',
  'node_templates',
  'plugins',
  'workflows',
  'groups',
  'policies',
  'policy_types',
  'policy_triggers',
] as const;
export type Section = (typeof MERGED_SECTIONS)[number];

export class ParseContext {
  /** section -> name -> definition (merged over imports, declaration order). */
  readonly sections = Object.fromEntries(MERGED_SECTIONS.map((s) => [s, {}])) as Record<
    Section,
    Mapping
  >;
  /** section -> name -> file that defined it. */
  readonly origins = Object.fromEntries(
    MERGED_SECTIONS.map((s) => [s, new Map<string, string>()]),
  ) as Record<Section, Map<string, string>>;
  /** Each file's declared version (the main one's when absent). */
  readonly fileVersions = new Map<string, DslVersion>();
  version: DslVersion = 'cloudify_dsl_1_3';
  description: string | null = null;

  constructor(
    readonly diag: DiagnosticSink,
    readonly mainFile: string,
    readonly baseDir: string,
    readonly resolver: ImportResolver | undefined,
  ) {}

  /** File that defined `name` in `section` (the main file when unknown). */
  origin(section: Section, name: string): string {
    return this.origins[section].get(name) ?? this.mainFile;
  }

  versionOf(file: string): DslVersion {
    return this.fileVersions.get(file) ?? this.version;
  }

  /** Reports a diagnostic on a definition of a section. */
  report(
    code: DiagnosticCode,
    section: Section,
    name: string,
    rest: PathSegments,
    message: string,
    key = false,
  ): void {
    this.diag.add(code, this.origin(section, name), [section, name, ...rest], message, { key });
  }

  /**
   * Checks the keys of a mapping against the allowed ones (and their minimum versions),
   * reporting unknown keys. Returns false when `value` is not a mapping.
   */
  checkKeys(
    section: Section,
    name: string,
    rest: PathSegments,
    value: unknown,
    allowed: readonly string[],
    versioned: Readonly<Record<string, DslVersion>> = {},
  ): value is Mapping {
    if (!isMapping(value)) {
      this.report(
        'not_a_mapping',
        section,
        name,
        rest,
        `${[section, name, ...rest].join('.')} must be a mapping`,
      );
      return false;
    }
    const file = this.origin(section, name);
    const version = this.versionOf(file);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key) && !has(versioned, key)) {
        this.report(
          'unknown_key',
          section,
          name,
          [...rest, key],
          `Unknown key '${key}' in ${[section, name, ...rest].join('.')} (allowed: ${[...allowed, ...Object.keys(versioned)].join(', ')})`,
          true,
        );
      } else if (has(versioned, key) && !atLeast(version, versioned[key]!)) {
        this.report(
          'feature_needs_newer_version',
          section,
          name,
          [...rest, key],
          `'${key}' needs tosca_definitions_version ${versioned[key]} or later (this file uses ${version})`,
          true,
        );
      }
    }
    return true;
  }
}
