import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitLineRuns, splitLines } from './lines.js';

async function collect(gen: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of gen) out.push(s);
  return out;
}

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield await Promise.resolve(part);
}

test('splitLineRuns yields whole lines only, across chunk and UTF-8 boundaries, the same lines as splitLines', async () => {
  const text = Buffer.from('{"a":"é"}\n{"b":2}\n\n{"c":"€ x"}\n{"d":4}');
  const cuts = [3, 9, 10, 21, 24, 25];
  const parts = cuts.map((end, i) => text.subarray(i === 0 ? 0 : cuts[i - 1], end)).concat(text.subarray(cuts[cuts.length - 1]));
  const runs = await collect(splitLineRuns(chunks(...parts), 'e', 1000));
  for (const run of runs) assert.ok(run.endsWith('\n'), JSON.stringify(run));
  assert.equal(runs.join(''), `${text.toString('utf8')}\n`);
  const lines = await collect(splitLines(chunks(...parts), 'e', 1000));
  assert.deepEqual(runs.join('').slice(0, -1).split('\n'), lines);
});

test('splitLineRuns refuses a line longer than the limit', async () => {
  await assert.rejects(collect(splitLineRuns(chunks(Buffer.from('{"a":1}\n'), Buffer.from('x'.repeat(50))), 'e', 20)), (e: { code?: string }) => e.code === 'snapshot_limit_error');
});
