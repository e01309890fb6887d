import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLine } from './ndjson-rows.js';
import { eventsTable, nodeInstancesTable } from './tables.js';

const event = (document: unknown, message = 'hello'): Record<string, unknown> => ({
  seq: 7, timestamp: '2026-01-01T00:00:00.000Z', type: 'cloudify_event', execution_id: 'ex', deployment_id: 'd', blueprint_id: 'bp',
  workflow_id: 'install', node_id: null, node_instance_id: null, level: null, event_type: 'task_started', message, document,
});

test('an event line is split at its document: the head parsed, the document text kept verbatim', () => {
  const document = { message: { text: 'x' }, context: { a: 1, document: { ',"document":': 1 } }, list: [1, 2] };
  const line = JSON.stringify(event(document, 'a ,"document":{ trap } \\ "quoted"'));
  const { row, rawTail } = decodeLine(eventsTable, line);
  assert.deepEqual(rawTail, { column: 'document', text: JSON.stringify(document) });
  assert.equal(row.message, 'a ,"document":{ trap } \\ "quoted"');
  assert.equal(row.seq, 7);
  assert.equal(row.node_id, null);
});

test('lines that do not fit the split are parsed whole', () => {
  for (const document of ['text', 5, null]) {
    const line = JSON.stringify(event(document));
    assert.deepEqual(decodeLine(eventsTable, line), { row: JSON.parse(line) as unknown });
  }
  const reordered = JSON.stringify({ document: { a: 1 }, seq: 1 });
  assert.deepEqual(decodeLine(eventsTable, reordered), { row: { document: { a: 1 }, seq: 1 } });
  const spaced = ' { "seq": 1, "document": { "a": 1 } } ';
  assert.deepEqual(decodeLine(eventsTable, spaced).row, { seq: 1, document: { a: 1 } });
});

test('a table with a JSON column before the last is always parsed whole', () => {
  const line = JSON.stringify({ id: 'vm_1', runtime_properties: { relationships: [] }, relationships: [{ a: 1 }] });
  assert.deepEqual(decodeLine(nodeInstancesTable, line), { row: JSON.parse(line) as unknown });
});

test('a line that is not a JSON object is storage_export_invalid', () => {
  for (const line of ['{"seq":1,"document":{"a":1}', 'not json', '[1,2]', '"text"']) {
    assert.throws(() => decodeLine(eventsTable, line), (e: { code?: string }) => e.code === 'storage_export_invalid', line);
  }
});
