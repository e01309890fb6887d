/**
 * Wires agents into the manager: the embedded MQTT broker (or an external one) on the manager's
 * broker address, the agent registry over storage, `host_agent` operations through the agent
 * dispatcher (with a context snapshot), the `agent` plugin, `GET /agents` and the broker probe.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { FilePendingJournal, generateSecret, startManagerMessaging } from '../../messaging/index.js';
import type { Logger, ManagerMessaging } from '../../messaging/index.js';
import type { FastifyBaseLogger } from 'fastify';
import { openStorage } from '../../storage/index.js';
import type { StoragePort } from '../../storage/index.js';
import type { ManagerDeps } from '../app.js';
import type { CompiledManagerConfig } from '../config.js';
import type { ManagerExtension } from '../extension.js';
import { agentRoutes } from '../routes/agents.js';
import { createStorageStore } from '../store/storage-store.js';
import { defaultManagerDeps } from '../wiring.js';
import { registerAgentPlugin } from './register.js';
import { agentRunDispatcher } from './context-dispatcher.js';
import { StorageAgentRegistry } from './storage-registry.js';

/** The broker address kept in `<dataDir>/broker.json`, so agents find a restarted manager. */
interface SavedBroker {
  host: string;
  port: number;
}

function readSaved(file: string): SavedBroker | null {
  if (!existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedBroker>;
  return typeof saved.host === 'string' && typeof saved.port === 'number' ? { host: saved.host, port: saved.port } : null;
}

/** The manager's own broker secret, generated once into `<dataDir>/broker-secret` (mode 600). */
function managerSecret(dataDir: string): string {
  const file = join(dataDir, 'broker-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = generateSecret();
  writeFileAtomic(file, secret, 0o600);
  return secret;
}

/** The agents' part of a running manager. */
export interface ManagerAgents {
  registry: StorageAgentRegistry;
  messaging(): ManagerMessaging | null;
}

/**
 * `defaultManagerDeps()` plus agents: what `cfy-manager start` runs with. The broker starts
 * with the manager unless the config says `noBroker`.
 */
export function managerDepsWithAgents(): ManagerDeps & { agents: ManagerAgents } {
  let storage: StoragePort | null = null;
  let messaging: ManagerMessaging | null = null;
  let broker: SavedBroker | null = null;
  let agentsDir = '';
  const registry = new StorageAgentRegistry(() => {
    if (storage === null) throw new Error('The manager storage is not open');
    return storage;
  });
  const base = defaultManagerDeps({
    hostAgentDispatcher: (fallback, request) => {
      if (messaging === null) return fallback;
      const agents = agentRunDispatcher(messaging.dispatcher, { model: request.model, instances: request.instances, blueprintDir: request.blueprintDir, events: request.events });
      // Hosts with an agent (credentials issued) get their operations over the broker; hosts
      // without one (install_method none, or no agent plugin run) keep running them in the
      // manager, as `cfy local` does.
      return {
        run: async (invocation, signal) => ((invocation.hostId !== null && (await registry.get(invocation.hostId)) !== null) ? agents : fallback).run(invocation, signal),
      };
    },
    plugins: (plugins) => {
      registerAgentPlugin(plugins, { registry, tracker: () => messaging?.tracker ?? null, broker: () => broker, agentsDir: () => agentsDir });
    },
  });
  const extension: ManagerExtension = {
    async start({ config, logger }) {
      agentsDir = join(config.dataDir, 'agents');
      if (config.broker === null) return { close: () => Promise.resolve() };
      messaging = await startAgentsMessaging(config, registry, logger);
      const url = new URL(messaging.brokerUrl);
      broker = { host: url.hostname, port: Number(url.port) };
      const started = messaging;
      return {
        routes: (api) => agentRoutes(api, registry, () => messaging?.tracker ?? null),
        brokerProbe: () => Promise.resolve(started.channel.ready ? 'running' : 'failed'),
        async close() {
          messaging = null;
          await started.close();
        },
      };
    },
  };
  return {
    ...base,
    openStore: async (config) => {
      storage = await openStorage({ url: config.storageUrl });
      return createStorageStore(storage);
    },
    extensions: [extension],
    agents: { registry, messaging: () => messaging },
  };
}

async function startAgentsMessaging(config: CompiledManagerConfig, registry: StorageAgentRegistry, logger: FastifyBaseLogger): Promise<ManagerMessaging> {
  const settings = config.broker;
  if (settings === null) throw new Error('no broker configured');
  const savedFile = join(config.dataDir, 'broker.json');
  const saved = readSaved(savedFile);
  const port = settings.port !== 0 ? settings.port : saved !== null && saved.host === settings.host ? saved.port : 0;
  const messaging = await startManagerMessaging({
    broker: settings.url !== null ? { url: settings.url } : { embedded: { host: settings.host, port } },
    registry,
    managerSecret: managerSecret(config.dataDir),
    agentForHost: (hostId) => hostId,
    journal: new FilePendingJournal(join(config.dataDir, 'agent-tasks')),
    logger: logger.child({ component: 'messaging' }) as unknown as Logger,
  });
  if (messaging.broker !== null) writeFileAtomic(savedFile, JSON.stringify({ host: messaging.broker.host, port: messaging.broker.port }), 0o600);
  return messaging;
}
