/** Golden files: compare JSON with test/dsl/golden/<name>.json; UPDATE_GOLDEN=1 rewrites them. */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { DeploymentModel } from '../../src/plan/index.js';
import { repoRoot } from './helpers.js';

const goldenDir = join(repoRoot, 'test', 'dsl', 'golden');

export function assertGolden(name: string, value: unknown): void {
  const file = join(goldenDir, `${name}.json`);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(
    existsSync(file),
    `golden file ${file} missing: run UPDATE_GOLDEN=1 npm test -- test/dsl`,
  );
  // Compared as data, so reformatting the golden files (e.g. by prettier) does not matter.
  assert.deepStrictEqual(
    JSON.parse(text),
    JSON.parse(readFileSync(file, 'utf8')),
    `plan differs from ${file} (if intended: UPDATE_GOLDEN=1 npm test -- test/dsl)`,
  );
}

/** A compact summary of a plan (never the blueprint's text): nodes, instances, task names. */
export function summarize(model: DeploymentModel): unknown {
  return {
    nodes: model.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      hostId: n.hostId,
      relationships: n.relationships.map((r) => `${r.type} -> ${r.targetId}`),
      operations: Object.values(n.operations)
        .filter((o) => o.operation !== '')
        .map((o) => `${o.name}: ${o.plugin}.${o.operation} (${o.executor})`),
      relationshipOperations: n.relationships.flatMap((r) =>
        [
          ...Object.values(r.sourceOperations).map((o) => ['source', o] as const),
          ...Object.values(r.targetOperations).map((o) => ['target', o] as const),
        ]
          .filter(([, o]) => o.operation !== '')
          .map(([side, o]) => `${r.targetId} ${side} ${o.name}: ${o.plugin}.${o.operation}`),
      ),
      plugins: n.plugins.map((p) => p.name),
    })),
    instances: model.nodeInstances.map((i) => ({
      id: i.id,
      host: i.hostId,
      relationships: i.relationships.map((r) => r.targetId),
    })),
    workflows: Object.keys(model.workflows),
    outputs: Object.keys(model.outputs),
  };
}
