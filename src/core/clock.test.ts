import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';

test('manual clock wakes sleepers only when time reaches them', async () => {
  const clock = new ManualClock(1000);
  let woke = false;
  const sleeping = clock.sleep(500).then(() => {
    woke = true;
  });
  clock.advance(499);
  await Promise.resolve();
  assert.equal(woke, false);
  clock.advance(1);
  await sleeping;
  assert.equal(woke, true);
  assert.equal(clock.now(), 1500);
});

test('manual clock sleep rejects when its signal aborts', async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  const sleeping = clock.sleep(1000, controller.signal);
  controller.abort(new Error('cancelled'));
  await assert.rejects(sleeping, /cancelled/);
  assert.equal(clock.pending, 0);
});
