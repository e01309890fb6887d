/**
 * `GET /events?_after_seq=<n>` (Rekindle extension): a keyset cursor over the storage sequence,
 * with `metadata.last_seq` to continue from. Real SQLite storage through the manager's store.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cloudifyTimestamp, type EventDocument } from '../../src/core/events.js';
import { fakeDeps } from './fakes.js';
import { startTestManager, type TestManager } from './harness.js';

interface EventsBody {
  items: { message: { text: string }; context: { execution_id: string }; level?: string }[];
  metadata: { pagination: { total: number; size: number; offset: number }; last_seq: number | null };
  error_code?: string;
  message?: string;
}

let m: TestManager;
const t0 = Date.parse('2026-11-26T10:00:00.000Z');

/** `count` logs of `execution` named `<execution> <i>`; every third one is a warning. */
function logs(execution: string, count: number, from = 0): EventDocument[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const at = new Date(t0 + i * 10);
    return {
      type: 'cloudify_log', logger: 'test', level: i % 3 === 0 ? 'warning' : 'info', timestamp: cloudifyTimestamp(at),
      '@timestamp': at.toISOString(), message: { text: `${execution} ${i}` },
      context: { deployment_id: 'd', execution_id: execution, workflow_id: 'install' },
    };
  });
}

async function events(query: string): Promise<EventsBody> {
  const res = await m.call('GET', `/api/v2/events?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<EventsBody>();
}

const texts = (body: EventsBody): string[] => body.items.map((e) => e.message.text);

before(async () => {
  m = await startTestManager(fakeDeps);
  // Interleave two executions so a filtered cursor must skip the other one's sequence numbers.
  for (let i = 0; i < 30; i += 10) {
    await m.manager.services.ctx.store.events.append([...logs('ex-a', 10, i), ...logs('ex-b', 10, i)]);
  }
});

after(() => m.close());

test('every list answers metadata.last_seq (highest sequence in the page) beside the 3.3 pagination', async () => {
  const page = await events('execution_id=ex-a&_size=5');
  assert.deepEqual(texts(page), ['ex-a 0', 'ex-a 1', 'ex-a 2', 'ex-a 3', 'ex-a 4']);
  assert.deepEqual(page.metadata.pagination, { total: 30, size: 5, offset: 0 });
  assert.equal(typeof page.metadata.last_seq, 'number');
  const none = await events('execution_id=nothing');
  assert.equal(none.metadata.last_seq, null);
  assert.deepEqual(Object.keys(none.items), []);
});

test('_after_seq returns exactly the events after the cursor, in order, and follows to the end', async () => {
  const first = await events('execution_id=ex-a&_size=7');
  const seen = texts(first);
  let cursor = first.metadata.last_seq;
  for (let guard = 0; guard < 10; guard++) {
    const page = await events(`execution_id=ex-a&_after_seq=${cursor}&_size=7`);
    if (page.items.length === 0) {
      assert.equal(page.metadata.last_seq, cursor, 'an empty page echoes the cursor');
      break;
    }
    assert.ok(page.metadata.last_seq! > cursor!);
    seen.push(...texts(page));
    cursor = page.metadata.last_seq;
  }
  assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => `ex-a ${i}`));

  // New events after the cursor are exactly what the next read returns.
  await m.manager.services.ctx.store.events.append([...logs('ex-b', 3, 30), ...logs('ex-a', 2, 30)]);
  const next = await events(`execution_id=ex-a&_after_seq=${cursor}`);
  assert.deepEqual(texts(next), ['ex-a 30', 'ex-a 31']);
  assert.equal(next.metadata.pagination.total, 2, 'total counts what is after the cursor');
  const again = await events(`execution_id=ex-a&_after_seq=${next.metadata.last_seq}`);
  assert.deepEqual(texts(again), []);
});

test('the cursor combines with the level filter and with _sort=-_seq for the newest page', async () => {
  const newest = await events('execution_id=ex-b&level=warning&_sort=-_seq&_size=3');
  assert.deepEqual(texts(newest), ['ex-b 30', 'ex-b 27', 'ex-b 24']);
  const start = await events('execution_id=ex-b&level=warning&_size=2');
  assert.deepEqual(texts(start), ['ex-b 0', 'ex-b 3']);
  const rest = await events(`execution_id=ex-b&level=warning&_after_seq=${start.metadata.last_seq}&_size=100`);
  assert.deepEqual(texts(rest), [6, 9, 12, 15, 18, 21, 24, 27, 30].map((i) => `ex-b ${i}`));
  assert.ok(rest.items.every((e) => e.level === 'warning' && e.context.execution_id === 'ex-b'));
});

test('a bad cursor, or a cursor with a timestamp sort, is 400 bad_parameters_error', async () => {
  for (const query of ['_after_seq=-1', '_after_seq=abc', '_after_seq=3&_sort=-@timestamp', '_after_seq=3&_sort=-_seq']) {
    const res = await m.call('GET', `/api/v2/events?${query}`);
    assert.equal(res.statusCode, 400, query);
    const body = res.json<EventsBody>();
    assert.equal(body.error_code, 'bad_parameters_error');
    assert.match(body.message ?? '', /_after_seq/);
  }
  assert.equal((await m.call('GET', '/api/v2/events?_after_seq=0&_sort=_seq&_size=1')).statusCode, 200);
});
