/**
 * Messaging benchmark: the embedded broker, the manager's session + dispatcher, 100 agents and
 * 10,000 host operations (a trivial operation). The agents are in-process `Agent` instances with
 * in-memory task ledgers, each with its own MQTT connection over loopback (real broker, real
 * sockets; no agent processes). Prints ops/s and dispatch-to-result latency percentiles.
 *
 *   npx tsx bench/messaging.ts [agents=100] [operations=10000] [inFlight=64]
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Agent, InMemoryTaskLedger } from '../src/agent/index.js';
import type { OperationInvocation } from '../src/engine/ports.js';
import { InMemoryAgentRegistry, issueAgentCredentials, startManagerMessaging } from '../src/messaging/index.js';

export interface MessagingBenchResult {
  agents: number;
  operations: number;
  inFlight: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  connectSeconds: number;
  /** CPU this process got during the run, in % of one core (the machine may be shared). */
  cpuPercent: number;
  /** Operations per second of CPU this process used: the figure to compare on a loaded machine. */
  opsPerCpuSecond: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the benchmark and returns its figures (also printed). */
export async function run(agentCount = 100, operations = 10_000, inFlight = 64): Promise<MessagingBenchResult> {
  const registry = new InMemoryAgentRegistry();
  const names = Array.from({ length: agentCount }, (_, i) => `host_${i.toString(16).padStart(5, '0')}`);
  const passwords = new Map<string, string>();
  // scrypt cost lowered: connection authentication is not what this measures
  for (const name of names) passwords.set(name, (await issueAgentCredentials(registry, name, { hostId: name, scrypt: { N: 1024 } })).password);
  const messaging = await startManagerMessaging({ broker: { embedded: { host: '127.0.0.1' } }, registry, managerSecret: randomUUID(), agentForHost: (hostId) => hostId });
  const connectStart = performance.now();
  const agents = names.map(
    (name) =>
      new Agent({
        name,
        brokerUrl: messaging.brokerUrl,
        password: passwords.get(name)!,
        workDir: '/nonexistent',
        ledger: new InMemoryTaskLedger(),
        hostId: name,
        createExecutor: () => ({ run: (invocation) => Promise.resolve({ ok: invocation.taskId.length }) }),
      }),
  );
  await Promise.all(agents.map((a) => a.start()));
  while (messaging.tracker.list().filter((a) => a.state === 'online').length < agentCount) await new Promise((r) => setTimeout(r, 10));
  const connectSeconds = (performance.now() - connectStart) / 1000;

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (next < operations) {
      const i = next++;
      const hostId = names[i % agentCount]!;
      const invocation: OperationInvocation = {
        taskId: randomUUID(),
        executionId: 'bench',
        workflowId: 'execute_operation',
        deploymentId: 'bench',
        blueprintId: 'bench',
        operation: { name: 'bench.noop', operation: 'bench.noop', plugin: 'bench', executor: 'host_agent', inputs: {}, maxRetries: null, retryInterval: null },
        inputs: { i },
        nodeId: 'host',
        nodeInstanceId: hostId,
        relationship: null,
        hostId,
        retryNumber: 0,
        maxRetries: 0,
      };
      const t0 = performance.now();
      await messaging.dispatcher.run(invocation, new AbortController().signal);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuPercent = Math.round((cpu.user + cpu.system) / 1e4 / seconds);
  await Promise.all(agents.map((a) => a.stop()));
  await messaging.close();

  latencies.sort((a, b) => a - b);
  const result: MessagingBenchResult = {
    agents: agentCount,
    operations,
    inFlight,
    seconds: Number(seconds.toFixed(3)),
    opsPerSecond: Math.round(operations / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    connectSeconds: Number(connectSeconds.toFixed(2)),
    cpuPercent,
    opsPerCpuSecond: Math.round(operations / ((cpu.user + cpu.system) / 1e6)),
  };
  console.log(
    `messaging: ${result.agents} in-process agents, ${result.operations} host operations (${result.inFlight} in flight) through the embedded broker: ` +
      `${result.opsPerSecond} ops/s, dispatch-to-result p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (agents connected in ${result.connectSeconds} s; this process got ${result.cpuPercent}% of a core: ${result.opsPerCpuSecond} ops per CPU-second)`,
  );
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [agents, operations, inFlight] = process.argv.slice(2).map(Number);
  await run(agents || undefined, operations || undefined, inFlight || undefined);
}
