/**
 * The end-to-end recovery story (the same steps as `npm run demo`) and the port-deleted refusal,
 * through the real `cfy` binary on a local cloud. Takes about a minute on a 2-core machine.
 */
import { test } from 'node:test';
import { startDemo } from '../../scripts/demo.js';
import { runPortDeletedScenario, runStory } from './story.js';

test('bootstrap, snapshot, crash, recover (same IPs, same data), teardown; recover refuses without the port', { timeout: 600_000 }, async () => {
  const { ctx, finish } = await startDemo();
  try {
    await runStory(ctx);
    await runPortDeletedScenario(ctx);
  } finally {
    await finish();
  }
});
