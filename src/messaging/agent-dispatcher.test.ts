import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecoverableError, RecoverableError } from '../core/index.js';
import type { OperationInvocation } from '../engine/ports.js';
import { AgentDispatcher } from './agent-dispatcher.js';
import { AgentTracker } from './agent-tracker.js';
import { AgentOfflineError } from './errors.js';
import type { AgentChannelPort, ManagerChannelHandlers } from './manager-channel.js';
import { InMemoryPendingJournal } from './pending-journal.js';
import type { ManagerMessage, StatusMessage } from './protocol.js';

class FakeChannel implements AgentChannelPort {
  readonly sent: Array<{ agent: string; message: ManagerMessage }> = [];
  readonly handlers = new Set<ManagerChannelHandlers>();
  addHandlers(handlers: ManagerChannelHandlers): () => void {
    this.handlers.add(handlers);
    return () => this.handlers.delete(handlers);
  }
  send(agent: string, message: ManagerMessage): Promise<void> {
    this.sent.push({ agent, message });
    return Promise.resolve();
  }
  result(agent: string, taskId: string, value: unknown): void {
    for (const h of this.handlers) h.result(agent, { taskId, ok: true, value });
  }
}

const status = (state: 'online' | 'offline', bootId = 'b1', connection = 1): StatusMessage => ({ state, bootId, connection, version: '0.1.0', hostId: null, sentAt: 0 });

function inv(taskId: string, hostId: string | null = 'vm_1'): OperationInvocation {
  return {
    taskId,
    executionId: 'e',
    workflowId: 'w',
    deploymentId: 'd',
    blueprintId: 'b',
    operation: { name: 'op', operation: 't.op', plugin: 't', executor: 'host_agent', inputs: {}, maxRetries: null, retryInterval: null },
    inputs: {},
    nodeId: 'vm',
    nodeInstanceId: 'vm_1',
    relationship: null,
    hostId,
    retryNumber: 0,
    maxRetries: 0,
  };
}

function setup(journal = new InMemoryPendingJournal()) {
  const channel = new FakeChannel();
  const tracker = new AgentTracker();
  const dispatcher = new AgentDispatcher({ channel, tracker, journal, agentForHost: (h) => `agent-${h}`, agentWaitMs: 60_000 });
  tracker.apply('agent-vm_1', status('online'));
  return { channel, tracker, dispatcher, journal };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('sends the task to the agent of the host and resolves with its result; duplicates are ignored', async () => {
  const { channel, dispatcher } = setup();
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  assert.deepEqual(channel.sent.map((s) => [s.agent, s.message.kind, s.message.taskId]), [['agent-vm_1', 'task', 't1']]);
  channel.result('agent-vm_1', 't1', 42);
  channel.result('agent-vm_1', 't1', 43);
  assert.equal(await run, 42);
  assert.deepEqual(dispatcher.pending(), []);
  dispatcher.close();
});

test('a result from another agent than the one the task went to is ignored', async () => {
  const { channel, dispatcher } = setup();
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  channel.result('agent-vm_2', 't1', 'forged');
  assert.equal(dispatcher.pending().length, 1);
  channel.result('agent-vm_1', 't1', 'real');
  assert.equal(await run, 'real');
  dispatcher.close();
});

test('failures come back as their operation-error classes', async () => {
  const { channel, dispatcher } = setup();
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  for (const h of channel.handlers) h.result('agent-vm_1', { taskId: 't1', ok: false, failure: { kind: 'non_recoverable', message: 'bad' } });
  await assert.rejects(run, NonRecoverableError);
  dispatcher.close();
});

test('an operation without a host fails as non-recoverable', async () => {
  const { dispatcher } = setup();
  await assert.rejects(dispatcher.run(inv('t1', null), new AbortController().signal), NonRecoverableError);
  dispatcher.close();
});

test('the last will of the agent fails its in-flight tasks naming the agent, and cancels them', async () => {
  const { channel, tracker, dispatcher } = setup();
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  tracker.apply('agent-vm_1', status('offline'));
  await assert.rejects(run, (e: unknown) => e instanceof AgentOfflineError && e.agentName === 'agent-vm_1' && e instanceof RecoverableError);
  assert.deepEqual(channel.sent.at(-1)?.message.kind, 'cancel');
  dispatcher.close();
});

test('a stale will (an older connection of the agent) fails nothing', async () => {
  const { channel, tracker, dispatcher } = setup();
  tracker.apply('agent-vm_1', status('online', 'b1', 2));
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  tracker.apply('agent-vm_1', status('offline', 'b1', 1));
  channel.result('agent-vm_1', 't1', 'ok');
  assert.equal(await run, 'ok');
  dispatcher.close();
});

test('pending tasks are re-sent when their agent reconnects', async () => {
  const { channel, tracker, dispatcher } = setup();
  const run = dispatcher.run(inv('t1'), new AbortController().signal);
  await tick();
  tracker.apply('agent-vm_1', status('online', 'b2', 1)); // a new agent process
  assert.equal(channel.sent.filter((s) => s.message.kind === 'task' && s.message.taskId === 't1').length, 2);
  channel.result('agent-vm_1', 't1', 1);
  assert.equal(await run, 1);
  dispatcher.close();
});

test('after a manager restart the journal is recovered, re-sent, and the task can be re-awaited by id', async () => {
  const journal = new InMemoryPendingJournal();
  const first = setup(journal);
  void first.dispatcher.run(inv('t1'), new AbortController().signal).catch(() => undefined);
  void first.dispatcher.run(inv('t2'), new AbortController().signal).catch(() => undefined);
  await tick();
  first.dispatcher.close(); // the manager "dies"; the journal stays
  const second = setup(journal);
  assert.equal(second.dispatcher.recover(), 2);
  assert.deepEqual(second.channel.sent.map((s) => s.message.taskId).sort(), ['t1', 't2']);
  second.channel.result('agent-vm_1', 't1', 'early'); // arrives before anyone re-awaits
  assert.equal(await second.dispatcher.awaitTask('t1'), 'early');
  const t2 = second.dispatcher.awaitTask('t2');
  second.channel.result('agent-vm_1', 't2', 'late');
  assert.equal(await t2, 'late');
  assert.deepEqual(journal.list(), []);
  await assert.rejects(second.dispatcher.awaitTask('t3'), RecoverableError);
  second.dispatcher.close();
});

test('aborting rejects with the reason and cancels on the agent', async () => {
  const { channel, dispatcher } = setup();
  const controller = new AbortController();
  const run = dispatcher.run(inv('t1'), controller.signal);
  await tick();
  controller.abort(new Error('stop it'));
  await assert.rejects(run, /stop it/);
  assert.equal(channel.sent.at(-1)?.message.kind, 'cancel');
  assert.deepEqual(dispatcher.pending(), []);
  dispatcher.close();
});

test('withEvents routes the logs of its tasks to its own sink', async () => {
  const { channel, dispatcher } = setup();
  const mine: string[] = [];
  const view = dispatcher.withEvents({ emit: (d) => mine.push(d.message.text) });
  const run = view.run(inv('t1'), new AbortController().signal);
  await tick();
  const document = { type: 'cloudify_log' as const, logger: 'x', level: 'info' as const, timestamp: 't', context: { task_id: 't1' }, message: { text: 'hello' } };
  for (const h of channel.handlers) h.document('agent-vm_1', { taskId: 't1', document });
  channel.result('agent-vm_1', 't1', null);
  await run;
  for (const h of channel.handlers) h.document('agent-vm_1', { taskId: 't1', document: { ...document, message: { text: 'late' } } });
  assert.deepEqual(mine, ['hello', 'late']);
  dispatcher.close();
});

test('awaitTask with an already aborted signal rejects at once', async () => {
  const { dispatcher } = setup();
  void dispatcher.run(inv('t1'), new AbortController().signal).catch(() => undefined);
  await tick();
  const controller = new AbortController();
  controller.abort(new Error('gone'));
  await assert.rejects(dispatcher.awaitTask('t1', controller.signal), /gone/);
  dispatcher.close();
});
