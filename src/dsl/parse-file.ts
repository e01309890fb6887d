/** Convenience: parse a blueprint file from disk with the default import resolver. */
import { nodeFileReader, defaultResourcesDir } from './node-files.js';
import { parseBlueprint, type ParseResult } from './parse.js';
import { createImportResolver, type FileReaderPort, type ImportMapping } from './resolver.js';

export interface ParseFileOptions {
  /** Extra URL -> file mappings (`--import-mapping`). */
  mapping?: ImportMapping;
  /** @default the local disk */
  files?: FileReaderPort;
  /** @default this installation's resources/dsl */
  resourcesDir?: string;
}

/** Reads and parses `file`. A missing file is an `unresolvable_import` diagnostic. */
export function parseBlueprintFile(file: string, options: ParseFileOptions = {}): ParseResult {
  const files = options.files ?? nodeFileReader;
  const resolver = createImportResolver({
    files,
    resourcesDir: options.resourcesDir ?? defaultResourcesDir(),
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
  const text = files.readText(file);
  if (text === null) {
    return {
      blueprint: null,
      diagnostics: [
        {
          code: 'unresolvable_import',
          severity: 'error',
          path: '',
          message: `Blueprint file ${file} not found or not readable`,
          file,
          line: 0,
          column: 0,
        },
      ],
    };
  }
  return parseBlueprint(text, { source: file, resolver });
}
