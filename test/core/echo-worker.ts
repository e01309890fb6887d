/** A TypeScript worker module for module-worker.test.ts: answers with workerData and typed maths. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToData, UserError } from '../../src/core/index.js';

const offset: number = (workerData as { offset: number }).offset;
parentPort!.on('message', (n: number) => {
  if (n < 0) parentPort!.postMessage({ error: errorToData(new UserError('negative_error', `${n} is negative`, { details: { n }, hints: ['give a positive number'], httpStatus: 422 })) });
  else parentPort!.postMessage({ value: n + offset });
});
