/**
 * The chaos suite run against each broker profile (embedded aedes in the manager process, or an
 * external mosquitto): three real agent processes on 127.0.20.1..3, a stand-in manager process,
 * SIGKILLs of both.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { agentClientId, agentTopic, issueAgentCredentials } from '../../src/messaging/index.js';
import type { AgentCredentials } from '../../src/messaging/index.js';
import { invocation, tempDir, waitFor } from '../messaging/helpers.js';
import { FileAgentRegistry } from './fixtures/file-registry.js';
import { AgentProcess, ManagerProcess } from './harness.js';

/** Where a profile's broker lives. */
export interface BrokerSetup {
  /** How the manager process reaches (or runs) the broker. */
  manager: { host: string; port: number } | { url: string };
  /** What agents are configured with. */
  agentBroker: { host: string; port: number };
  teardown(): Promise<void>;
}

export interface BrokerProfile {
  name: string;
  /** Prepares the broker once the agents' credentials are in the registry. */
  setup(data: string, registry: FileAgentRegistry, managerSecret: string): Promise<BrokerSetup>;
}

const AGENTS = ['vm_1', 'vm_2', 'vm_3'] as const;
const ADDRESS: Record<string, string> = { vm_1: '127.0.20.1', vm_2: '127.0.20.2', vm_3: '127.0.20.3' };

/** Defines the suite's tests for one broker profile. */
export function processSuite(profile: BrokerProfile): void {
  const tmp = tempDir(`agents-${profile.name}`);
  const data = join(tmp.dir, 'manager');
  const counter = join(tmp.dir, 'counter.txt');
  const secret = 'manager-secret-for-tests';
  const agents = new Map<string, AgentProcess>();
  const credentials = new Map<string, AgentCredentials>();
  let broker: BrokerSetup | undefined;
  let manager: ManagerProcess;

  const startManager = async (): Promise<ManagerProcess> => ManagerProcess.start({ data, secret, ...broker!.manager });
  const allOnline = async (): Promise<boolean> => (await manager.onlineAgents()).length === AGENTS.length;
  const runs = (taskId: string): number => readFileSync(counter, { encoding: 'utf8', flag: 'a+' }).split('\n').filter((l) => l.startsWith(`${taskId} `)).length;

  before(async () => {
    mkdirSync(data, { recursive: true });
    const registry = new FileAgentRegistry(join(data, 'registry.json'));
    for (const name of AGENTS) credentials.set(name, await issueAgentCredentials(registry, name, { hostId: name }));
    broker = await profile.setup(data, registry, secret);
    const { agentBroker } = broker;
    manager = await startManager();
    for (const name of AGENTS) {
      const workDir = join(tmp.dir, name);
      mkdirSync(workDir, { recursive: true });
      agents.set(name, AgentProcess.start({ name, brokerHost: agentBroker.host, brokerPort: agentBroker.port, password: credentials.get(name)!.password, workDir, localAddress: ADDRESS[name]! }));
    }
    await waitFor('three agents online', allOnline, 20_000);
  });

  after(async () => {
    for (const agent of agents.values()) await agent.kill();
    await manager?.kill();
    await broker?.teardown();
    tmp.remove();
  });

  test(`[${profile.name}] each task lands on its host's agent, connected from the host's address`, async () => {
    const replies = await Promise.all(AGENTS.map((name) => manager.run(invocation(name, 'test.echo', { to: name }))));
    assert.deepEqual(replies.map((r) => r.value), AGENTS.map((name) => ({ agent: name, inputs: { to: name } })));
    const { addresses } = await manager.agents();
    if (addresses !== null) assert.deepEqual(Object.fromEntries(AGENTS.map((n) => [n, addresses[n]])), ADDRESS);
  });

  test(`[${profile.name}] an agent killed mid-operation: the dispatcher rejects naming the agent`, async () => {
    const inv = invocation('vm_2', 'test.sleep', { ms: 20_000, counterFile: counter });
    const reply = manager.run(inv);
    await waitFor('operation started', () => runs(inv.taskId) === 1);
    await agents.get('vm_2')!.kill();
    const result = await reply;
    assert.equal(result.ok, false);
    assert.equal(result.error?.name, 'AgentOfflineError');
    assert.equal(result.error?.agentName, 'vm_2');
    assert.match(result.error.message, /Agent vm_2 is offline/);
    agents.get('vm_2')!.restart();
    await waitFor('vm_2 back online', allOnline, 10_000);
    assert.equal(runs(inv.taskId), 1, 'the restarted agent did not run the interrupted task again');
  });

  test(`[${profile.name}] manager killed while idle: every agent reconnects within 5 s of its restart and a new task succeeds`, async () => {
    await manager.kill();
    manager = await startManager();
    await waitFor('agents reconnected', allOnline, 5_000);
    const reply = await manager.run(invocation('vm_3', 'test.echo', { after: 'restart' }));
    assert.deepEqual(reply.value, { agent: 'vm_3', inputs: { after: 'restart' } });
  });

  test(`[${profile.name}] manager killed while a task runs: the result arrives after the restart and the task ran once`, async () => {
    const inv = invocation('vm_1', 'test.sleep', { ms: 1500, counterFile: counter });
    const lost = manager.run(inv).catch(() => null);
    await waitFor('operation started', () => runs(inv.taskId) === 1);
    await manager.kill();
    assert.equal(await lost, null, 'the killed manager answered nothing');
    const ledger = join(agents.get('vm_1')!.workDir, 'tasks', `${encodeURIComponent(inv.taskId)}.json`);
    await waitFor('task finished on the agent while the manager was down', () => readFileSync(ledger, 'utf8').includes('"done"'), 10_000);
    manager = await startManager();
    const reply = await manager.awaitTask(inv.taskId);
    assert.deepEqual(reply, { id: reply.id, ok: true, value: { agent: 'vm_1' } });
    assert.equal(runs(inv.taskId), 1);
  });

  test(`[${profile.name}] an agent stops gracefully on SIGTERM and the manager sees it offline`, async () => {
    // The previous test restarted the manager: an agent still in its reconnect backoff has no
    // session to say `stopped` on, and the new manager never saw it. Start from all online.
    await waitFor('agents reconnected after the restart', allOnline, 15_000);
    assert.equal(await agents.get('vm_3')!.stop(), 0);
    await waitFor('vm_3 offline', async () => (await manager.agents()).agents.find((a) => a.name === 'vm_3')?.state === 'offline');
  });

  test(`[${profile.name}] wrong credentials are refused; an agent never sees another agent's tasks`, async () => {
    const url = `mqtt://${broker!.agentBroker.host}:${broker!.agentBroker.port}`;
    await assert.rejects(connectAsync(url, { clientId: agentClientId('vm_3'), username: 'vm_3', password: 'wrong', reconnectPeriod: 0 }, false));
    // vm_3's agent is stopped (previous test), so its session can be borrowed
    const spy = await connectAsync(url, { clientId: agentClientId('vm_3'), username: 'vm_3', password: credentials.get('vm_3')!.password, reconnectPeriod: 0, clean: true });
    const seen: string[] = [];
    spy.on('message', (topic) => seen.push(topic));
    await spy.subscribeAsync(agentTopic('vm_1', 'tasks'), { qos: 1 }).catch(() => undefined); // refused: SUBACK 0x80, or granted but filtered by the ACL
    const reply = await manager.run(invocation('vm_1', 'test.echo', { secret: 'for vm_1 only' }));
    assert.equal(reply.ok, true);
    await new Promise((r) => setTimeout(r, 200));
    await spy.endAsync();
    assert.deepEqual(seen, []);
  });
}

