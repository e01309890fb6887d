/** Test helpers: in-memory blueprints (shipped resources read from disk), fixture paths. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createImportResolver,
  defaultResourcesDir,
  nodeFileReader,
  parseBlueprint,
  type FileReaderPort,
  type ParseResult,
} from '../../src/dsl/index.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(repoRoot, '..', 'shared', 'fixtures', 'cloudify-3.3');
export const hasFixtures = existsSync(fixturesDir);
export const skipFixtures = hasFixtures ? false : `fixtures not found at ${fixturesDir}`;

export const TYPES_URL = 'http://www.getcloudify.org/spec/cloudify/3.3/types.yaml';
/** A blueprint header: version and the built-in types import (3 lines). */
export const HEAD = `tosca_definitions_version: cloudify_dsl_1_3\nimports:\n  - ${TYPES_URL}\n`;

/** Files under /bp (the blueprint folder) from a map; everything else from disk. */
export function memoryFiles(files: Record<string, string>): FileReaderPort {
  return {
    readText: (file) =>
      files[file] ?? (file.startsWith('/bp/') ? null : nodeFileReader.readText(file)),
    exists: (file) => file in files || (!file.startsWith('/bp/') && nodeFileReader.exists(file)),
  };
}

/** Parses `text` as /bp/blueprint.yaml with extra files in /bp. */
export function parseText(
  text: string,
  files: Record<string, string> = {},
  mapping?: Record<string, string>,
): ParseResult {
  const resolver = createImportResolver({
    files: memoryFiles(files),
    resourcesDir: defaultResourcesDir(),
    ...(mapping ? { mapping } : {}),
  });
  return parseBlueprint(text, { source: '/bp/blueprint.yaml', resolver });
}

/** 1-based line of the first line containing `#<` in `text`. */
export function markedLine(text: string): number {
  const index = text.split('\n').findIndex((l) => l.includes('#<'));
  if (index < 0) throw new Error('no #< marker');
  return index + 1;
}
