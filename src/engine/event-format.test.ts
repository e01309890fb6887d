import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventDocument } from '../core/index.js';
import { attemptSuffix, eventDocument, logDocument, taskEventText } from './event-builders.js';
import { formatEventJson, formatEventLine } from './event-format.js';

const relContext = {
  deployment_id: 'manager',
  source_id: 'manager_server_1eed2',
  target_id: 'manager_port_ceb8e',
  operation: 'cloudify.interfaces.relationship_lifecycle.unlink',
};

test('relationship task event renders as the reference line', () => {
  const doc = eventDocument('2015-02-17 16:22:12.345+0000', 'sending_task', taskEventText('sending', 'neutron_plugin.port.detach', 1, 5), relContext);
  assert.equal(
    formatEventLine(doc),
    "2015-02-17 16:22:12 CFY <manager> [manager_server_1eed2->manager_port_ceb8e|unlink] Sending task 'neutron_plugin.port.detach' [attempt 2/6]",
  );
});

test('log lines print LEVEL: text and prefer @timestamp', () => {
  const log = logDocument('2016-06-29 08:59:16.120+0000', 'info', 'Stopping systemd service elasticsearch...', {
    deployment_id: 'manager',
    node_id: 'elasticsearch_8d1cf',
    operation: 'cloudify.interfaces.lifecycle.stop',
  });
  assert.equal(formatEventLine(log), '2016-06-29 08:59:16 LOG <manager> [elasticsearch_8d1cf.stop] INFO: Stopping systemd service elasticsearch...');
  const remote: EventDocument = { ...log, '@timestamp': '2016-06-27T11:40:08.123Z' };
  assert.match(formatEventLine(remote), /^2016-06-27T11:40:08 LOG /);
});

test('null deployment prints <None>, empty operation info is omitted, node events show the instance', () => {
  const wf = eventDocument('2015-12-02 15:10:21.000+0000', 'workflow_started', "Starting 'create_snapshot' workflow execution", { deployment_id: null });
  assert.equal(formatEventLine(wf), "2015-12-02 15:10:21 CFY <None> Starting 'create_snapshot' workflow execution");
  const node = eventDocument('2015-12-02 15:10:21.000+0000', 'workflow_node_event', 'Stopping node', { deployment_id: 'd', node_id: 'webui_ef68c' });
  assert.equal(formatEventLine(node), '2015-12-02 15:10:21 CFY <d> [webui_ef68c] Stopping node');
  const policy = eventDocument('2015-12-02 15:10:21.000+0000', 'workflow_stage', 'x', { deployment_id: 'd', node_id: 'n_1', group: 'g', policy: 'p' });
  assert.equal(formatEventLine(policy), '2015-12-02 15:10:21 CFY <d> [n_1.g.p] x');
});

test('attempt suffix follows the 3.3 rules', () => {
  assert.equal(attemptSuffix('sending', 0, 5), '');
  assert.equal(attemptSuffix('failed', 0, 5), ' [attempt 1/6]');
  assert.equal(attemptSuffix('rescheduled', 0, 5), ' [attempt 1/6]');
  assert.equal(attemptSuffix('started', 1, 5), ' [attempt 2/6]');
  assert.equal(attemptSuffix('failed', 3, -1), ' [attempt 4]');
  assert.equal(taskEventText('succeeded', 'a.b', 0, 5, { ok: 1 }), 'Task succeeded \'a.b ({"ok":1})\'');
  assert.equal(taskEventText('succeeded', 'a.b', 0, 5, null), "Task succeeded 'a.b'");
  assert.equal(taskEventText('failed', 'a.b', 0, 5, new Error('boom')), "Task failed 'a.b' -> boom [attempt 1/6]");
});

test('--json form is one JSON document per line', () => {
  const doc = eventDocument('t', 'task_started', "Task started 'x'", { deployment_id: 'd' });
  const line = formatEventJson(doc);
  assert.equal(line.includes('\n'), false);
  assert.deepEqual(JSON.parse(line), doc);
});
