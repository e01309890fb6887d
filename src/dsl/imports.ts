/** Loads the main file and its imports (transitively) and merges their sections. */
import { MERGED_SECTIONS, type ParseContext } from './context.js';
import { loadYaml, type YamlSource } from './yaml-source.js';
import { deepEqual, has, isMapping, type Mapping } from './util.js';
import { isDslVersion, atLeast, FEATURE_VERSIONS } from './versions.js';
import { DSL_VERSIONS, type DslVersion } from './types.js';

const TOP_KEYS: string[] = [
  'tosca_definitions_version',
  'imports',
  ...MERGED_SECTIONS.filter((s) => s !== 'policies'),
];

/** Loads every file into `ctx`; returns the YAML sources by file for locating diagnostics. */
export function loadFiles(
  ctx: ParseContext,
  mainText: string,
  sources: Map<string, YamlSource>,
): void {
  const seen = new Set<string>();
  const main = load(ctx, ctx.mainFile, mainText, sources, false);
  seen.add(ctx.mainFile);
  const data = main.value;
  if (!isMapping(data)) {
    if (main.errors.length === 0)
      ctx.diag.add('not_a_mapping', ctx.mainFile, [], 'A blueprint must be a YAML mapping');
    return;
  }
  const version = data.tosca_definitions_version;
  if (version === undefined) {
    ctx.diag.add(
      'missing_tosca_version',
      ctx.mainFile,
      [],
      `Missing tosca_definitions_version: add 'tosca_definitions_version: cloudify_dsl_1_3' (supported: ${DSL_VERSIONS.join(', ')})`,
    );
  } else if (!isDslVersion(version)) {
    ctx.diag.add(
      'unknown_tosca_version',
      ctx.mainFile,
      ['tosca_definitions_version'],
      `Unknown tosca_definitions_version ${JSON.stringify(version)} (supported: ${DSL_VERSIONS.join(', ')})`,
    );
  } else ctx.version = version;
  ctx.fileVersions.set(ctx.mainFile, ctx.version);
  if (data.description !== undefined) {
    if (typeof data.description === 'string') ctx.description = data.description;
    else ctx.diag.add('bad_value', ctx.mainFile, ['description'], 'description must be a string');
  }
  // Breadth-first over imports, main file's sections first (Cloudify merges imports into the main file).
  const queue: { file: string; data: Mapping }[] = [{ file: ctx.mainFile, data }];
  for (let i = 0; i < queue.length; i++) {
    const { file, data: fileData } = queue[i]!;
    checkTopLevel(ctx, file, fileData);
    merge(ctx, file, fileData);
    const imports = fileData.imports;
    if (imports === undefined || imports === null) continue;
    if (!Array.isArray(imports)) {
      ctx.diag.add('bad_value', file, ['imports'], 'imports must be a list of URLs or paths');
      continue;
    }
    imports.forEach((ref, index) => {
      if (typeof ref !== 'string') {
        ctx.diag.add(
          'bad_value',
          file,
          ['imports', index],
          'Each import must be a string (a URL or a relative path)',
        );
        return;
      }
      if (!ctx.resolver) {
        ctx.diag.add(
          'unresolvable_import',
          file,
          ['imports', index],
          `Cannot resolve import '${ref}': no import resolver was given`,
        );
        return;
      }
      const resolved = ctx.resolver.resolve(ref, file);
      if ('error' in resolved) {
        ctx.diag.add('unresolvable_import', file, ['imports', index], resolved.error);
        return;
      }
      if (seen.has(resolved.file)) return;
      seen.add(resolved.file);
      const imported = load(ctx, resolved.file, resolved.text, sources, true);
      if (imported.errors.length > 0) return;
      if (imported.value === null) return;
      if (!isMapping(imported.value)) {
        ctx.diag.add(
          'not_a_mapping',
          resolved.file,
          [],
          `Imported file ${ref} must be a YAML mapping`,
        );
        return;
      }
      const importedVersion = imported.value.tosca_definitions_version;
      if (importedVersion !== undefined && !isDslVersion(importedVersion)) {
        ctx.diag.add(
          'unknown_tosca_version',
          resolved.file,
          ['tosca_definitions_version'],
          `Unknown tosca_definitions_version ${JSON.stringify(importedVersion)} in import ${ref}`,
        );
      }
      ctx.fileVersions.set(
        resolved.file,
        isDslVersion(importedVersion) ? importedVersion : ctx.version,
      );
      queue.push({ file: resolved.file, data: imported.value });
    });
  }
}

/**
 * Parsed imports, reused while their text is unchanged (the shipped type files are imported by
 * every blueprint). Parsed data is never mutated by the later steps.
 */
const importCache = new Map<string, { text: string; source: YamlSource }>();

function load(
  ctx: ParseContext,
  file: string,
  text: string,
  sources: Map<string, YamlSource>,
  cacheable: boolean,
): YamlSource {
  const cached = cacheable ? importCache.get(file) : undefined;
  let source: YamlSource;
  if (cached && cached.text === text) source = cached.source;
  else {
    source = loadYaml(text, file);
    if (cacheable && source.errors.length === 0) {
      if (importCache.size > 64) importCache.clear();
      importCache.set(file, { text, source });
    }
  }
  sources.set(file, source);
  for (const e of source.errors) {
    ctx.diag.items.push({
      code: 'yaml_syntax',
      severity: 'error',
      path: '',
      message: `YAML syntax error: ${e.message}`,
      file,
      line: e.line,
      column: e.column,
    });
  }
  return source;
}

function checkTopLevel(ctx: ParseContext, file: string, data: Mapping): void {
  const version: DslVersion = ctx.versionOf(file);
  const gated: Record<string, DslVersion> = FEATURE_VERSIONS.top;
  for (const key of Object.keys(data)) {
    if (has(gated, key)) {
      if (!atLeast(version, gated[key]!)) {
        ctx.diag.add(
          'feature_needs_newer_version',
          file,
          [key],
          `'${key}' needs tosca_definitions_version ${gated[key]} or later (this file uses ${version})`,
          { key: true },
        );
      }
    } else if (!TOP_KEYS.includes(key)) {
      ctx.diag.add('unknown_key', file, [key], `Unknown top-level key '${key}'`, { key: true });
    }
  }
}

function merge(ctx: ParseContext, file: string, data: Mapping): void {
  for (const section of MERGED_SECTIONS) {
    const value = data[section];
    if (value === undefined || value === null) continue;
    if (!isMapping(value)) {
      ctx.diag.add('not_a_mapping', file, [section], `${section} must be a mapping`);
      continue;
    }
    const target = ctx.sections[section];
    const origins = ctx.origins[section];
    for (const [name, definition] of Object.entries(value)) {
      const previous = origins.get(name);
      if (previous !== undefined) {
        if (!deepEqual(target[name], definition)) {
          ctx.diag.add(
            'import_conflict',
            file,
            [section, name],
            `${section}.${name} is defined differently in ${file} and ${previous}; rename one or make them identical`,
            { key: true },
          );
        }
        continue;
      }
      target[name] = definition;
      origins.set(name, file);
    }
  }
}
