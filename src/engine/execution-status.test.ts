import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../core/index.js';
import { canTransition, isEndStatus, transitionExecution } from './execution-status.js';

test('legal execution transitions return the new status', () => {
  assert.equal(transitionExecution('pending', 'started'), 'started');
  assert.equal(transitionExecution('started', 'cancelling'), 'cancelling');
  assert.equal(transitionExecution('cancelling', 'force_cancelling'), 'force_cancelling');
  assert.equal(transitionExecution('force_cancelling', 'cancelled'), 'cancelled');
  assert.equal(transitionExecution('started', 'terminated'), 'terminated');
});

test('illegal execution transitions throw illegal_action_error naming both statuses', () => {
  assert.throws(
    () => transitionExecution('terminated', 'started', 'e1'),
    (error: unknown) => error instanceof UserError && error.code === 'illegal_action_error' && /e1 from status terminated to started/.test(error.message),
  );
  assert.equal(canTransition('pending', 'terminated'), false);
  assert.equal(canTransition('force_cancelling', 'cancelling'), false);
  assert.deepEqual(['terminated', 'failed', 'cancelled', 'started'].map((s) => isEndStatus(s as 'started')), [true, true, true, false]);
});
