/**
 * The channel in one process: embedded broker + manager messaging + in-process agents.
 * (Real agent processes are exercised in test/agent/.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';
import { NonRecoverableError, RecoverableError } from '../../src/core/index.js';
import type { EventDocument } from '../../src/core/index.js';
import { Agent, InMemoryTaskLedger } from '../../src/agent/index.js';
import { AgentOfflineError, InMemoryAgentRegistry, agentClientId, agentTopic, issueAgentCredentials, startManagerMessaging } from '../../src/messaging/index.js';
import type { AgentCredentials, ManagerMessaging } from '../../src/messaging/index.js';
import { createExecutor } from '../agent/fixtures/test-executor.js';
import { capturingLogger, invocation, waitFor } from './helpers.js';

const registry = new InMemoryAgentRegistry();
const documents: EventDocument[] = [];
const agents: Agent[] = [];
const credentials = new Map<string, AgentCredentials>();
let messaging: ManagerMessaging;
let captured: ReturnType<typeof capturingLogger>;
const raw: MqttClient[] = [];

function startAgent(name: string): Agent {
  const agent = new Agent({
    name,
    brokerUrl: messaging.brokerUrl,
    password: credentials.get(name)!.password,
    workDir: '/nonexistent',
    ledger: new InMemoryTaskLedger(),
    createExecutor,
    hostId: name,
    heartbeatMs: 200,
    logger: captured.logger.child({ agent: name }),
  });
  agents.push(agent);
  return agent;
}

before(async () => {
  captured = capturingLogger();
  for (const name of ['vm_a1', 'vm_b2', 'vm_c3']) credentials.set(name, await issueAgentCredentials(registry, name, { hostId: name, scrypt: { N: 1024 } }));
  messaging = await startManagerMessaging({
    broker: { embedded: { host: '127.0.0.1' } },
    registry,
    managerSecret: 'manager-secret',
    agentForHost: (hostId) => hostId,
    events: { emit: (d) => documents.push(d) },
    agentWaitMs: 1000,
    logger: captured.logger,
  });
  for (const name of ['vm_a1', 'vm_b2']) await startAgent(name).start();
  await waitFor('agents online', () => messaging.tracker.list().filter((a) => a.state === 'online').length === 2);
});

after(async () => {
  for (const client of raw) await client.endAsync(true);
  for (const agent of agents) await agent.stop();
  await messaging.close();
});

test('tasks land on the agent of their host and results come back', async () => {
  const signal = new AbortController().signal;
  const [a, b] = await Promise.all([
    messaging.dispatcher.run(invocation('vm_a1', 'test.echo', { n: 1 }), signal),
    messaging.dispatcher.run(invocation('vm_b2', 'test.echo', { n: 2 }), signal),
  ]);
  assert.deepEqual(a, { agent: 'vm_a1', inputs: { n: 1 } });
  assert.deepEqual(b, { agent: 'vm_b2', inputs: { n: 2 } });
});

test('operation failures keep their class across the channel', async () => {
  const signal = new AbortController().signal;
  await assert.rejects(messaging.dispatcher.run(invocation('vm_a1', 'test.fail'), signal), (e: unknown) => e instanceof NonRecoverableError && e.message === 'asked to fail');
  await assert.rejects(messaging.dispatcher.run(invocation('vm_a1', 'test.fail', { recoverable: true }), signal), (e: unknown) => e instanceof RecoverableError && e.retryAfter === 3);
});

test('logs emitted by an operation reach the event sink', async () => {
  const inv = invocation('vm_b2', 'test.log');
  await messaging.dispatcher.run(inv, new AbortController().signal);
  await waitFor('log document', () => documents.some((d) => d.context.task_id === inv.taskId));
  assert.equal(documents.find((d) => d.context.task_id === inv.taskId)?.message.text, 'hello from vm_b2');
});

test('a task id sent twice runs once; the second run gets the same result', async () => {
  const inv = invocation('vm_a1', 'test.echo', { x: 1 });
  const signal = new AbortController().signal;
  const [first, second] = await Promise.all([messaging.dispatcher.run(inv, signal), messaging.dispatcher.run(inv, signal)]);
  assert.deepEqual(first, second);
  assert.equal(messaging.dispatcher.pending().length, 0);
});

test('aborting the signal rejects the run and cancels the task on the agent', async () => {
  const controller = new AbortController();
  const inv = invocation('vm_b2', 'test.sleep', { ms: 5000 });
  const run = messaging.dispatcher.run(inv, controller.signal);
  await waitFor('task running', () => agents[1]!.runningTasks().includes(inv.taskId));
  controller.abort(new Error('execution cancelled'));
  await assert.rejects(run, /execution cancelled/);
  await waitFor('task aborted on the agent', () => !agents[1]!.runningTasks().includes(inv.taskId));
});

test('a task for an agent that never comes online fails naming the agent', async () => {
  await assert.rejects(messaging.dispatcher.run(invocation('vm_c3', 'test.echo'), new AbortController().signal), (e: unknown) => e instanceof AgentOfflineError && e.agentName === 'vm_c3' && /vm_c3/.test(e.message));
});

test('wrong credentials are refused and logged', async () => {
  await assert.rejects(
    connectAsync(messaging.brokerUrl, { clientId: agentClientId('vm_a1'), username: 'vm_a1', password: 'wrong', reconnectPeriod: 0 }, false),
    /Bad username or password|Not authorized|Connection refused/,
  );
  await waitFor('refusal logged', () => captured.lines.some((l) => l.msg === 'broker refused a connection' && l.agent === 'vm_a1' && l.reason === 'wrong password'));
  assert.ok(!JSON.stringify(captured.lines).includes('"wrong"'), 'the password is never logged');
});

test("an agent cannot subscribe to another agent's tasks nor answer for it", async () => {
  const client = await connectAsync(messaging.brokerUrl, { clientId: agentClientId('vm_c3'), username: 'vm_c3', password: credentials.get('vm_c3')!.password, reconnectPeriod: 0, clean: true });
  raw.push(client);
  await assert.rejects(client.subscribeAsync(agentTopic('vm_a1', 'tasks'), { qos: 1 }), (e: { packet?: { granted?: number[] } }) => e.packet?.granted?.[0] === 128);
  assert.ok(captured.lines.some((l) => l.msg === 'broker refused a subscription' && l.topic === agentTopic('vm_a1', 'tasks')));
  const own = await client.subscribeAsync(agentTopic('vm_c3', 'tasks'), { qos: 1 });
  assert.equal(own[0]?.qos, 1);
  client.publish(agentTopic('vm_a1', 'results'), JSON.stringify({ taskId: 'forged', ok: true, value: 1 }), { qos: 0 });
  await waitFor('publish refused', () => captured.lines.some((l) => l.msg === 'broker refused a publish' && l.topic === agentTopic('vm_a1', 'results')));
});

test('malformed messages are dropped with a log line and nothing crashes', async () => {
  const managerLines = (): number => captured.lines.filter((l) => l.msg === 'dropped a malformed message').length;
  const before = managerLines();
  const client = await connectAsync(messaging.brokerUrl, { clientId: agentClientId('vm_c3'), username: 'vm_c3', password: credentials.get('vm_c3')!.password, reconnectPeriod: 0, clean: true });
  raw.push(client);
  await client.publishAsync(agentTopic('vm_c3', 'results'), 'not json', { qos: 1 });
  await client.publishAsync(agentTopic('vm_c3', 'results'), JSON.stringify({ taskId: 5 }), { qos: 1 });
  await client.publishAsync(agentTopic('vm_c3', 'status'), JSON.stringify({ state: 'sleepy' }), { qos: 1 });
  await messaging.channel.send('vm_a1', { kind: 'task' } as never); // a task without id or invocation, to the agent
  await waitFor('drops logged on both sides', () => managerLines() >= before + 4);
  assert.ok(captured.lines.some((l) => l.msg === 'dropped a malformed message' && l.agent === 'vm_a1'), 'the agent logged its drop');
  await client.endAsync();
  assert.deepEqual(await messaging.dispatcher.run(invocation('vm_a1', 'test.echo'), new AbortController().signal), { agent: 'vm_a1', inputs: {} });
});
