/**
 * `cfy blueprints validate -p BLUEPRINT [--import-mapping FILE] [--json]`, and the blueprint
 * reading helpers `cfy blueprints plan` shares.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/index.js';
import {
  parseBlueprintFile,
  parseImportMapping,
  formatDiagnostic,
  type ParseResult,
} from '../../dsl/index.js';
import type { Output } from '../output.js';

interface ValidateOptions {
  blueprintPath: string;
  importMapping?: string[];
  json?: boolean;
}

export function registerBlueprintsValidate(group: Command, output: Output): void {
  group
    .command('validate')
    .description('Validate a blueprint: prints every problem as file:line:column: message')
    .requiredOption('-p, --blueprint-path <path>', 'the blueprint YAML file')
    .option(
      '--import-mapping <mapping...>',
      "import URL mappings: a YAML file of 'URL: path' lines, or URL=path (repeatable)",
    )
    .option('--json', 'print the diagnostics as JSON')
    .action((options: ValidateOptions) => {
      if (!options.json) output.info(`Validating blueprint: ${options.blueprintPath}`);
      const result = readBlueprint(options.blueprintPath, options.importMapping);
      const valid = !result.diagnostics.some((d) => d.severity === 'error');
      if (options.json) output.json({ valid, diagnostics: result.diagnostics });
      failOnErrors(result, output, options.json === true);
      if (!options.json) output.info('Blueprint validated successfully');
    });
}

/**
 * Reads `--import-mapping` values into a URL -> path mapping. Each value is a mapping file
 * (`URL: path` lines, paths relative to the file) or an inline `URL=path` (path relative to
 * the current folder); later values win.
 */
export function loadImportMapping(
  values: readonly string[] | string | undefined,
): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const list = typeof values === 'string' ? [values] : values;
  const out: Record<string, string> = {};
  for (const value of list) Object.assign(out, oneMapping(value));
  return out;
}

function oneMapping(value: string): Record<string, string> {
  const path = resolve(value);
  let text: string | null;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = null;
  }
  if (text === null) {
    const eq = value.lastIndexOf('=');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && eq > 0)
      return { [value.slice(0, eq)]: resolve(value.slice(eq + 1)) };
    throw new UserError(
      'invalid_import_mapping_error',
      `Import mapping ${value} is neither a file nor URL=path`,
    );
  }
  try {
    return parseImportMapping(text, path);
  } catch (error) {
    throw new UserError(
      'invalid_import_mapping_error',
      error instanceof Error ? error.message : String(error),
    );
  }
}

/** Parses the blueprint at `blueprintPath` with an optional import mapping file. */
export function readBlueprint(
  blueprintPath: string,
  importMapping: readonly string[] | string | undefined,
): ParseResult {
  const mapping = loadImportMapping(importMapping);
  return parseBlueprintFile(resolve(blueprintPath), mapping ? { mapping } : {});
}

/** Prints diagnostics (stderr) and throws when any is an error. */
export function failOnErrors(result: ParseResult, output: Output, json: boolean): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!json) for (const d of result.diagnostics) output.warn(formatDiagnostic(d));
  if (errors.length > 0) {
    throw new UserError(
      'invalid_blueprint_error',
      `Blueprint validation failed: ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      {
        details: { diagnostics: errors },
        hints: ['Fix the problems listed above; see docs/errors/dsl.md for every diagnostic code'],
      },
    );
  }
}
