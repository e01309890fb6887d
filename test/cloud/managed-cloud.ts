/**
 * A local cloud (in the test process) with a routed management network, as `cfy bootstrap`
 * leaves it, and a real `cfy-manager` process (embedded broker) beside it: what the application
 * tests on the cloud share. Create it before the test, `start()` it inside, `stop()` it in
 * `after()`: stop kills what was started by pid, also after a partial start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudOptions } from '../../src/cloud/index.js';
import {
  agentPids,
  call,
  killGroup,
  startManager,
  type StartedManager,
} from '../agents-e2e/harness.js';
import { isAlive } from '../local/cli.js';
import { cleanup } from '../manager/harness.js';
import { Api, startCloud, type Started } from './helpers.js';

/** The management network's name (the local manager blueprint's default). */
export const MANAGEMENT_NETWORK = 'rekindle-management-network';

export class ManagedCloud {
  readonly managerDir = mkdtempSync(join(tmpdir(), 'rekindle-managed-cloud-'));
  started: Started | null = null;
  manager: StartedManager | null = null;
  neutron: Api | null = null;

  /**
   * @param pool floating pool CIDR (unique per test file)
   * @param managementCidr CIDR of the management network's subnet (unique per test file)
   */
  constructor(
    readonly pool: string,
    readonly managementCidr: string,
    readonly options: Partial<CloudOptions> = {},
  ) {}

  /** Starts the cloud, creates the routed management network, starts the manager. */
  async start(): Promise<{
    cloud: Started;
    neutron: Api;
    api: string;
    openstackConfig: Record<string, unknown>;
  }> {
    const cloud = (this.started = await startCloud(this.pool, this.options));
    const neutron = (this.neutron = await Api.login(cloud.cloud));
    await neutron.routedNetwork(MANAGEMENT_NETWORK, this.managementCidr);
    this.manager = await startManager(this.managerDir);
    const openstackConfig = {
      username: 'admin',
      password: 'admin',
      tenant_name: 'admin',
      auth_url: cloud.cloud.urls.identity,
      region: 'RegionOne',
      poll_interval: 0.05,
    };
    return { cloud, neutron, api: `${this.manager.url}/api/v2`, openstackConfig };
  }

  /** Uploads a blueprint archive and creates a deployment of it. */
  async deploy(
    archive: Buffer,
    blueprintId: string,
    deploymentId: string,
    inputs: Record<string, unknown>,
  ): Promise<void> {
    const api = `${this.manager?.url}/api/v2`;
    const uploaded = await call(`${api}/blueprints/${blueprintId}`, 'PUT', { raw: archive });
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const created = await call(`${api}/deployments/${deploymentId}`, 'PUT', {
      json: { blueprint_id: blueprintId, inputs },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }

  /** `[name, state]` of every agent the manager knows (`GET /agents`). */
  async agents(): Promise<[string, string][]> {
    const items = (await call(`${this.manager?.url}/api/v2/agents`)).body.items as unknown as {
      name: string;
      state: string;
    }[];
    return items.map((a) => [a.name, a.state]);
  }

  /** The manager's stderr (for assertion messages). */
  log(): string {
    return this.manager?.stderr() ?? '';
  }

  /** Stops the manager with SIGTERM and asserts it exits 0. */
  async stopManager(): Promise<void> {
    const manager = this.manager;
    if (!manager) return;
    killGroup(manager.child.pid, 'SIGTERM');
    assert.equal(await manager.exited, 0);
    this.manager = null;
  }

  /** Kills the manager's group, the cloud's servers and any agent left, by pid; removes the folders. */
  async stop(): Promise<void> {
    killGroup(this.manager?.child.pid, 'SIGKILL');
    await this.started?.stop();
    for (const pid of agentPids(this.managerDir).values()) {
      // An init_script agent runs in its server's group (gone with the server); a local one leads its own.
      killGroup(pid, 'SIGKILL');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    cleanup(this.managerDir);
  }
}
