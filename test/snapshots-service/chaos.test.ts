/** A small run of scripts/snapshot-chaos.ts: 3 SIGKILLed creates and 3 SIGKILLed restores. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary, runChaos } from '../../scripts/snapshot-chaos.js';

test('SIGKILL during create or restore leaves a consistent data dir (3 random trials each, plus 2 targeted restore kills)', async () => {
  const summaries = await runChaos({ trials: 3, seed: 7, size: { blueprints: 2, deployments: 10, instancesPerDeployment: 10, events: 3000 } });
  assert.deepEqual(summaries.map((s) => [s.phase, s.trials]), [['create', 3], ['restore', 5]]);
  assert.deepEqual(summaries.flatMap((s) => s.violations), [], formatSummary(summaries));
});
