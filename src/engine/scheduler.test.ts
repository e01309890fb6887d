import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/index.js';
import { ExecutionCancelledError } from './errors.js';
import { executeGraph, type AttemptResult } from './scheduler.js';
import { TaskGraph } from './task-graph.js';

test('sequence and fork-join order with one slot, concurrency limit honoured', async () => {
  const graph = new TaskGraph();
  const order: string[] = [];
  let running = 0;
  let peak = 0;
  const task = (name: string) =>
    graph.local(name, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      order.push(name);
      running--;
    });
  graph.sequence(task('a'), graph.forkJoin(task('b'), task('c'), task('d')), task('e'));
  await executeGraph(graph, (t) => Promise.resolve(t.run!(new AbortController().signal, t)).then((): AttemptResult => ({ kind: 'done' })), {
    clock: new ManualClock(),
    concurrency: 2,
  });
  assert.equal(order[0], 'a');
  assert.equal(order[4], 'e');
  assert.deepEqual(order.slice(1, 4).sort(), ['b', 'c', 'd']);
  assert.equal(peak, 2);
});

test('a cycle is reported instead of hanging', async () => {
  const graph = new TaskGraph();
  const a = graph.local('a', () => undefined);
  const b = graph.local('b', () => undefined);
  graph.dependsOn(a, b);
  graph.dependsOn(b, a);
  await assert.rejects(
    executeGraph(graph, () => Promise.resolve({ kind: 'done' }), { clock: new ManualClock() }),
    (error: unknown) => (error as { code?: string }).code === 'task_graph_cycle_error',
  );
});

test('cancel interrupts a retry wait and nothing else starts', async () => {
  const graph = new TaskGraph();
  const first = graph.local('first', () => undefined);
  const second = graph.local('second', () => undefined);
  graph.sequence(first, second);
  const controller = new AbortController();
  const seen: string[] = [];
  const clock = new ManualClock();
  const run = executeGraph(
    graph,
    (t) => {
      seen.push(t.name);
      return Promise.resolve({ kind: 'retry', delayMs: 60_000 });
    },
    { clock, signal: controller.signal },
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(clock.pending, 1);
  controller.abort();
  await assert.rejects(run, ExecutionCancelledError);
  assert.deepEqual(seen, ['first']);
  assert.equal(clock.pending, 0);
});
