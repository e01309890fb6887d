/** Every diagnostic code is documented in docs/errors/dsl.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES } from '../../src/dsl/index.js';
import { repoRoot } from './helpers.js';

test('docs/errors/dsl.md lists every diagnostic code', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'errors', 'dsl.md'), 'utf8');
  const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});
