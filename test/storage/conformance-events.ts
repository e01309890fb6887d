/** Conformance: event append, filters, time ranges, pagination (dense and with gaps). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventDocument } from '../../src/core/index.js';
import type { StoragePort } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { eventDoc, iso } from './records.js';

/** 40 documents: i < 30 belong to ex1/d1, the rest to ex2/d2. */
function docs(): EventDocument[] {
  return Array.from({ length: 40 }, (_, i) => (i < 30 ? eventDoc(i, 'ex1', 'd1') : eventDoc(i, 'ex2', 'd2')));
}

async function seqs(s: StoragePort, query: Parameters<StoragePort['events']['list']>[0]): Promise<number[]> {
  return (await s.events.list(query)).items.map((e) => e.seq);
}

export function eventsSection(ctx: ConformanceContext): void {
  describe('events', () => {
    test('append keeps order and documents; columns come from the context', async () => {
      const s = await ctx.open();
      const all = docs();
      assert.equal(await s.events.append(all), 40);
      assert.equal(await s.events.count(), 40);
      const page = await s.events.list();
      assert.equal(page.total, 40);
      assert.deepEqual(page.items.map((e) => e.document), all);
      const first = page.items[1]!;
      assert.deepEqual(
        [first.type, first.executionId, first.deploymentId, first.nodeId, first.nodeInstanceId, first.level, first.eventType, first.timestamp],
        ['cloudify_log', 'ex1', 'd1', 'vm', 'vm_1', 'info', null, iso(1000)],
      );
      const seq = page.items.map((e) => e.seq);
      assert.deepEqual(seq, [...seq].sort((a, b) => a - b));
      assert.equal(new Set(seq).size, 40);
    });

    test('filters: execution, deployment, type, level, event type, node instance, message', async () => {
      const s = await ctx.open();
      const all = docs();
      await s.events.append(all);
      const pick = (pred: (d: EventDocument, i: number) => boolean): string[] => all.filter(pred).map((d) => d.message.text);
      const texts = async (q: Parameters<StoragePort['events']['list']>[0]): Promise<string[]> => (await s.events.list(q)).items.map((e) => e.message);
      assert.deepEqual(await texts({ executionId: 'ex2' }), pick((d) => d.context.execution_id === 'ex2'));
      assert.deepEqual(await texts({ deploymentId: ['d1'], type: 'cloudify_log', level: 'error' }), pick((d) => d.context.deployment_id === 'd1' && d.type === 'cloudify_log' && d.level === 'error'));
      assert.deepEqual(await texts({ eventType: 'task_started' }), pick((d) => d.type === 'cloudify_event' && d.event_type === 'task_started'));
      assert.deepEqual(await texts({ nodeInstanceId: 'vm_2', executionId: 'ex1' }), pick((d, i) => i < 30 && d.context.node_id === 'vm_2'));
      assert.deepEqual(await texts({ messageContains: '3 100%_' }), ['log 3 100%_done', 'log 13 100%_done', 'log 23 100%_done', 'log 33 100%_done']);
      assert.deepEqual(await texts({ messageContains: '%' }), pick((d) => d.type === 'cloudify_log'));
      const filtered = await s.events.list({ executionId: 'ex1', size: 7, offset: 7 });
      assert.deepEqual([filtered.total, filtered.items.length, filtered.items[0]!.message], [30, 7, 'log 7 100%_done']);
    });

    test('time range is inclusive and accepts Cloudify timestamps', async () => {
      const s = await ctx.open();
      await s.events.append(docs());
      const range = await s.events.list({ from: iso(5000), to: iso(9000) });
      assert.deepEqual(range.items.map((e) => e.message), ['log 5 100%_done', 'event 6', 'log 7 100%_done', 'event 8', 'log 9 100%_done']);
      assert.equal(range.total, 5);
      const local: EventDocument = { type: 'cloudify_event', event_type: 'workflow_started', timestamp: '2026-01-01 01:00:00.250+0100', message_code: null, message: { text: 'tz', arguments: null }, context: {} };
      await s.events.append([local]);
      const [stored] = (await s.events.list({ messageContains: 'tz' })).items;
      assert.equal(stored!.timestamp, '2026-01-01T00:00:00.250Z');
    });

    test('sorting, descending pages, cursor (afterSeq) and withTotal=false', async () => {
      const s = await ctx.open();
      await s.events.append(docs());
      const asc = await seqs(s, { size: 100 });
      assert.deepEqual(await seqs(s, { sort: ['-seq'], size: 5, offset: 2 }), asc.slice().reverse().slice(2, 7));
      assert.deepEqual(await seqs(s, { sort: ['-timestamp'], size: 3 }), asc.slice(-3).reverse());
      const tail = await s.events.list({ afterSeq: asc[35]!, withTotal: false });
      assert.deepEqual([tail.items.map((e) => e.seq), tail.total], [asc.slice(36), -1]);
      await assert.rejects(s.events.list({ sort: ['message'] }), { code: 'bad_parameters_error' });
    });

    test('deep offsets return the right page with and without gaps in the sequence', async () => {
      const s = await ctx.open();
      const many = Array.from({ length: 1200 }, (_, i) => eventDoc(i, `ex${i % 3}`, `d${i % 3}`));
      await s.events.append(many.slice(0, 700));
      await s.events.append(many.slice(700));
      const asc = await seqs(s, { size: 10_000 });
      assert.equal(asc.length, 1200);
      assert.deepEqual(await seqs(s, { offset: 1100, size: 100 }), asc.slice(1100, 1200));
      assert.deepEqual(await seqs(s, { offset: 600, size: 100, sort: ['-seq'] }), asc.slice().reverse().slice(600, 700));
      assert.equal(await s.events.deleteForDeployment('d1'), 400);
      assert.equal(await s.events.count(), 800);
      const remaining = asc.filter((_, i) => i % 3 !== 1);
      const page = await s.events.list({ offset: 700, size: 100 });
      assert.deepEqual([page.items.map((e) => e.seq), page.total], [remaining.slice(700, 800), 800]);
      assert.deepEqual(await seqs(s, { offset: 10, size: 5, sort: ['-seq'] }), remaining.slice().reverse().slice(10, 15));
      assert.deepEqual(await seqs(s, { executionId: 'ex2', offset: 390, size: 100 }), asc.filter((_, i) => i % 3 === 2).slice(390));
      assert.deepEqual((await s.integrityCheck()).problems, []);
    });

    test('listDocuments returns the pages list returns, as seq, timestamp and document', async () => {
      const s = await ctx.open();
      await s.events.append(Array.from({ length: 120 }, (_, i) => eventDoc(i, `ex${i % 3}`, `d${i % 3}`)));
      const same = async (query: Parameters<StoragePort['events']['list']>[0]): Promise<void> => {
        const full = await s.events.list(query);
        const documents = await s.events.listDocuments(query);
        assert.deepEqual(documents, { ...full, items: full.items.map((e) => ({ seq: e.seq, timestamp: e.timestamp, document: e.document })) });
        assert.ok(documents.items.length > 0);
      };
      await same({ offset: 100, size: 10 }); // the dense seq range
      await same({ offset: 5, size: 10, sort: ['-seq'] });
      await same({ executionId: 'ex1', offset: 20, size: 10, sort: ['-timestamp'] });
      await s.events.deleteForDeployment('d0'); // gaps: the general path
      await same({ offset: 30, size: 20 });
      await same({ afterSeq: 10, size: 5, withTotal: false });
    });

    test('events appended in a rolled-back transaction are gone, and so is their count', async () => {
      const s = await ctx.open();
      await s.events.append(docs().slice(0, 3));
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.events.append(docs());
          throw new Error('rollback');
        }),
        /rollback/,
      );
      assert.equal(await s.events.count(), 3);
      assert.equal((await s.events.list()).total, 3);
      assert.equal((await s.events.list({ offset: 2 })).items.length, 1);
    });
  });
}
