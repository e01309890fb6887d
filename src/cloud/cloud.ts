/**
 * The local cloud: one fastify listener on a loopback address serving Keystone (`/v3`), Nova
 * (`/compute/v2.1`), Neutron (`/network/v2.0`) and the admin endpoints, over a state file in the
 * data folder. Servers are process groups (compute.ts); floating IPs are TCP proxies (forwarder.ts).
 */
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, writeFileAtomic } from '../core/index.js';
import { buildApp } from './app.js';
import { Compute, type CloudLog } from './compute.js';
import { compileCloudConfig, type CloudOptions, type CompiledCloudConfig } from './config.js';
import type { CloudContext, CloudUrls } from './context.js';
import { FloatingIpForwarder, type ForwardRule } from './forwarder.js';
import { Identity } from './identity.js';
import { buildImageTable } from './images.js';
import { assertLoopback } from './ip.js';
import { NeutronModel } from './neutron-model.js';
import { isLeaderAlive } from './processes.js';
import { serverStatusView, type CloudStatusView } from './routes/admin.js';
import { buildSubnet } from './routes/neutron-networks.js';
import { StateStore } from './store.js';

/** Where a running cloud records its URL and pid (`<dataDir>/endpoint.json`). */
export interface CloudEndpointFile {
  url: string;
  pid: number;
}

/** Reads `<dataDir>/endpoint.json` of a running cloud, or undefined. */
export function readEndpointFile(dataDir: string): CloudEndpointFile | undefined {
  const path = join(dataDir, 'endpoint.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CloudEndpointFile;
  } catch {
    return undefined;
  }
}

/** Data folders served by clouds of this process. */
const openDataDirs = new Set<string>();

const silentLog: CloudLog = { info: () => undefined, warn: () => undefined };

/** A running local cloud. */
export class LocalCloud {
  private constructor(
    readonly config: CompiledCloudConfig,
    private readonly app: FastifyInstance,
    private readonly ctx: CloudContext,
    private readonly forwarder: FloatingIpForwarder,
    private readonly store: StateStore,
  ) {}

  /** Base URL (`http://127.0.0.1:<port>`); the identity endpoint is `${url}/v3`. */
  get url(): string {
    return this.ctx.urls.base;
  }

  /** Service URLs as in the catalog. */
  get urls(): CloudUrls {
    return this.ctx.urls;
  }

  /** Loads the state, re-adopts live servers, listens. */
  static async start(
    options: CloudOptions,
    log: CloudLog = silentLog,
    clock: { now(): number } = { now: () => Date.now() },
  ): Promise<LocalCloud> {
    const config = compileCloudConfig(options);
    mkdirSync(config.dataDir, { recursive: true });
    const running = readEndpointFile(config.dataDir);
    const mine = running?.pid === process.pid && openDataDirs.has(config.dataDir);
    if (running && (mine || (running.pid !== process.pid && isLeaderAlive(running.pid, null)))) {
      throw new UserError(
        'cloud_already_running',
        `A local cloud (pid ${running.pid}) already serves ${config.dataDir} at ${running.url}`,
        {
          details: { dataDir: config.dataDir, pid: running.pid, url: running.url },
          hints: [
            'Stop it first (Ctrl-C in its terminal, or kill its pid), or use another --data-dir',
          ],
        },
      );
    }
    const store = new StateStore(config.dataDir);
    const now = (): number => clock.now();
    const neutron = new NeutronModel(store.state, now);
    const images = buildImageTable(config.managerImageCommand, config.images);
    const forwarder = new FloatingIpForwarder();
    const urls: CloudUrls = { base: '', identity: '', compute: '', network: '' };
    const ctx = {} as CloudContext;
    const commit = async (): Promise<void> => {
      store.save();
      await forwarder.sync(forwardRules(ctx));
    };
    const compute = new Compute({
      config,
      state: store.state,
      neutron,
      imageById: (id) => [...images.values()].find((i) => i.id === id),
      commit,
      now,
      log,
    });
    Object.assign(ctx, {
      config,
      state: store.state,
      neutron,
      compute,
      identity: new Identity(config.users, config.tokenTtlSeconds * 1000, now),
      images,
      urls,
      now,
      commit,
    } satisfies CloudContext);
    seedFloatingPool(ctx);
    const app = buildApp(ctx, forwarder);
    assertLoopback(config.host, 'listen on');
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    urls.base = `http://${config.host}:${port}`;
    urls.identity = `${urls.base}/v3`;
    urls.compute = `${urls.base}/compute/v2.1`;
    urls.network = `${urls.base}/network/`;
    try {
      await compute.start();
    } catch (error) {
      await app.close();
      throw error;
    }
    openDataDirs.add(config.dataDir);
    writeFileAtomic(
      join(config.dataDir, 'endpoint.json'),
      JSON.stringify({ url: urls.base, pid: process.pid } satisfies CloudEndpointFile),
    );
    log.info(
      `local cloud listening on ${urls.base} (identity ${urls.identity}), data in ${config.dataDir}`,
    );
    return new LocalCloud(config, app, ctx, forwarder, store);
  }

  /** What `cfy cloud status` shows. */
  status(): CloudStatusView {
    return {
      url: this.url,
      pid: process.pid,
      data_dir: this.config.dataDir,
      servers: this.ctx.state.servers.map((s) => serverStatusView(this.ctx, s)),
      forwarding: this.forwarder.status(),
    };
  }

  /** Waits until no server is in a transition (tests). */
  async settle(): Promise<void> {
    while (this.ctx.state.servers.some((s) => s.task_state !== null))
      await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * Stops listening and forwarding. Servers keep running (they are detached process groups) unless
   * `killServers` is set; a later start re-adopts them.
   */
  async close(options: { killServers?: boolean } = {}): Promise<void> {
    await this.ctx.compute.close();
    if (options.killServers) {
      await this.ctx.compute.killAll();
      for (const server of this.ctx.state.servers) {
        if (server.vm_state === 'active') {
          server.vm_state = 'stopped';
          server.power_state = 4;
        }
      }
    }
    this.store.save();
    await this.forwarder.close();
    await this.app.close();
    rmSync(join(this.config.dataDir, 'endpoint.json'), { force: true });
    openDataDirs.delete(this.config.dataDir);
  }
}

function forwardRules(ctx: CloudContext): ForwardRule[] {
  const rules: ForwardRule[] = [];
  for (const fip of ctx.state.floatingips) {
    if (fip.port_id === null || fip.fixed_ip_address === null) continue;
    for (const port of fip.forwarded_ports ?? ctx.config.forwardedPorts)
      rules.push({ floatingIp: fip.floating_ip_address, fixedIp: fip.fixed_ip_address, port });
  }
  return rules;
}

/** Creates the external network and its 127.x subnet (the floating-IP pool) on first start. */
function seedFloatingPool(ctx: CloudContext): void {
  const pool = ctx.config.floatingPool;
  if (!pool || ctx.state.networks.some((n) => n.name === pool.networkName)) return;
  const projectId = ctx.identity.defaultProjectId;
  const network = {
    ...ctx.neutron.base(projectId, 'Floating-IP pool of the local cloud'),
    name: pool.networkName,
    admin_state_up: true,
    shared: true,
    external: true,
    mtu: 1500,
  };
  ctx.state.networks.push(network);
  const subnet = buildSubnet(
    ctx,
    { cidr: pool.cidr, name: `${pool.networkName}-subnet`, enable_dhcp: false },
    network,
    projectId,
  );
  ctx.state.subnets.push(subnet);
}
