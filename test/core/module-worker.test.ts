/** startModuleWorker runs a TypeScript module in a worker thread; errors cross as ErrorData. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { errorFromData, errorToData, startModuleWorker, UnexpectedError, UserError, type ErrorData } from '../../src/core/index.js';

function ask(worker: Worker, n: number): Promise<{ value?: number; error?: ErrorData }> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(n);
  });
}

test('a TypeScript module runs in a worker with its workerData, and its errors come back whole', async () => {
  const worker = startModuleWorker(new URL('./echo-worker.ts', import.meta.url), { workerData: { offset: 40 } });
  try {
    assert.deepEqual(await ask(worker, 2), { value: 42 });
    const { error } = await ask(worker, -1);
    const rebuilt = errorFromData(error!);
    assert.ok(rebuilt instanceof UserError);
    assert.equal(rebuilt.code, 'negative_error');
    assert.equal(rebuilt.message, '-1 is negative');
    assert.deepEqual(rebuilt.details, { n: -1 });
    assert.deepEqual(rebuilt.hints, ['give a positive number']);
    assert.equal(rebuilt.httpStatus, 422);
  } finally {
    await worker.terminate();
  }
});

test('a missing worker module (and no bundle) is refused with the paths named', () => {
  assert.throws(() => startModuleWorker(new URL('./no-such-worker.ts', import.meta.url)), /no-such-worker\.ts is missing and so is its bundle .*no-such-worker\.mjs; run npm run build/);
});

test('an error that is not a Rekindle error crosses as an unexpected one with its stack', () => {
  const data = errorToData(new TypeError('boom'));
  assert.equal(data.kind, 'unexpected');
  assert.match(data.message, /TypeError: boom/);
  assert.ok(errorFromData(data) instanceof UnexpectedError);
});
