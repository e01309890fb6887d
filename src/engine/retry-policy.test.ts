import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecoverableError, OperationRetry, RecoverableError } from '../core/index.js';
import { decideFailure, retryPolicyFor } from './retry-policy.js';

test('operation retry settings win over the workflow defaults', () => {
  assert.deepEqual(retryPolicyFor({ maxRetries: 2, retryInterval: 5 }, { taskRetries: 10, taskRetryInterval: 30 }), { maxRetries: 2, retryIntervalMs: 5000 });
  assert.deepEqual(retryPolicyFor({ maxRetries: null, retryInterval: null }, { taskRetries: 5 }), { maxRetries: 5, retryIntervalMs: 30000 });
  assert.deepEqual(retryPolicyFor({ maxRetries: null, retryInterval: null }), { maxRetries: -1, retryIntervalMs: 30000 });
});

test('failure decisions follow spec 4.5', () => {
  const policy = { maxRetries: 2, retryIntervalMs: 1000 };
  assert.deepEqual(decideFailure(new Error('x'), policy, 0, false), { action: 'retry', delayMs: 1000 });
  assert.deepEqual(decideFailure(new RecoverableError('x', { retryAfter: 7 }), policy, 1, false), { action: 'retry', delayMs: 7000 });
  assert.deepEqual(decideFailure(new Error('x'), policy, 2, false), { action: 'fail' });
  assert.deepEqual(decideFailure(new NonRecoverableError('x'), policy, 0, false), { action: 'fail' });
  assert.deepEqual(decideFailure(new Error('x'), policy, 0, true), { action: 'ignore' });
  assert.deepEqual(decideFailure(new NonRecoverableError('x'), policy, 0, true), { action: 'ignore' });
  assert.deepEqual(decideFailure(new OperationRetry('wait', 10), policy, 0, true), { action: 'retry', delayMs: 10000 });
  assert.deepEqual(decideFailure(new OperationRetry('wait'), policy, 2, true), { action: 'fail' });
  assert.deepEqual(decideFailure(new Error('x'), { maxRetries: -1, retryIntervalMs: 5 }, 1000, false), { action: 'retry', delayMs: 5 });
});
