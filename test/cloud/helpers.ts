/** Shared helpers of the local-cloud tests: a cloud on a temp folder and a tiny JSON client. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCloud, type CloudOptions } from '../../src/cloud/index.js';

export interface Started {
  cloud: LocalCloud;
  dataDir: string;
  /** Closes the cloud, kills every server process group, removes the folder. */
  stop(): Promise<void>;
}

/** Starts a cloud on a fresh temp folder with fast timings. `pool` must be unique per test file. */
export async function startCloud(
  pool: string,
  options: Partial<CloudOptions> = {},
  clock?: { now(): number },
): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-cloud-'));
  const cloud = await LocalCloud.start(
    {
      dataDir,
      port: 0,
      buildDelayMs: 30,
      stopGraceMs: 300,
      monitorIntervalMs: 100,
      floatingPool: { networkName: 'public', cidr: pool },
      forwardedPorts: [],
      ...options,
    },
    undefined,
    clock,
  );
  return {
    cloud,
    dataDir,
    async stop() {
      await cloud.close({ killServers: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON body as the tests read it (members of unknown shape, checked by assertions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely and checked by assertions
export type Loose = any;

/** A value as text, for assert.match. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A body member known to be a list. */
export function list(value: unknown): Loose[] {
  assert.ok(Array.isArray(value), `expected a list, got ${text(value)}`);
  return value;
}

export interface Reply<T = Record<string, Loose>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON client for one cloud, authenticated as admin/admin. */
export class Api {
  token = '';
  constructor(readonly cloud: LocalCloud) {}

  static async login(cloud: LocalCloud): Promise<Api> {
    const api = new Api(cloud);
    const reply = await api.call(
      'POST',
      `${cloud.urls.identity}/auth/tokens`,
      passwordAuth('admin', 'admin'),
      {},
    );
    api.token = reply.headers.get('x-subject-token')!;
    return api;
  }

  async call(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = { 'x-auth-token': this.token },
  ): Promise<Reply> {
    const response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  nova(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    return this.call(method, `${this.cloud.urls.compute}${path}`, body, {
      'x-auth-token': this.token,
      ...headers,
    });
  }

  neutron(method: string, path: string, body?: unknown): Promise<Reply> {
    return this.call(method, `${this.cloud.urls.network}v2.0${path}`, body);
  }

  /** Polls a server until `done` holds (or 404 when `done` is 'gone'). */
  async waitServer(
    serverId: unknown,
    done: ((server: Record<string, Loose>) => boolean) | 'gone',
  ): Promise<Record<string, Loose>> {
    const id = text(serverId);
    for (let i = 0; i < 400; i++) {
      const reply = await this.nova('GET', `/servers/${id}`);
      const server = (reply.body?.server ?? {}) as Record<string, Loose>;
      if (done === 'gone' ? reply.status === 404 : reply.status === 200 && done(server))
        return server;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`server ${id} never reached the wanted state`);
  }

  /** Creates a network + subnet; returns their ids. */
  async network(name: string, cidr: string): Promise<{ networkId: string; subnetId: string }> {
    const network = await this.neutron('POST', '/networks', { network: { name } });
    const subnet = await this.neutron('POST', '/subnets', {
      subnet: { network_id: network.body.network.id, cidr, ip_version: 4 },
    });
    return { networkId: network.body.network.id, subnetId: subnet.body.subnet.id };
  }

  /**
   * A network + subnet reachable from the floating pool: a router with its gateway on `public`
   * and an interface on the subnet (what floating-IP association needs, subset §4.3).
   */
  async routedNetwork(
    name: string,
    cidr: string,
  ): Promise<{ networkId: string; subnetId: string; routerId: string }> {
    const net = await this.network(name, cidr);
    const publicId = text((await this.neutron('GET', '/networks?name=public')).body.networks[0].id);
    const router = await this.neutron('POST', '/routers', {
      router: { name: `${name}-router`, external_gateway_info: { network_id: publicId } },
    });
    const routerId = text(router.body.router.id);
    await this.neutron('PUT', `/routers/${routerId}/add_router_interface`, {
      subnet_id: net.subnetId,
    });
    return { ...net, routerId };
  }

  async imageId(name: string): Promise<string> {
    const images = await this.nova('GET', '/images');
    return text(list(images.body.images).find((i: { name: string }) => i.name === name).id);
  }
}

/** A Keystone v3 password-auth body, project scoped. */
export function passwordAuth(user: string, password: string, project = 'admin'): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user, domain: { name: 'Default' }, password } },
      },
      scope: { project: { name: project, domain: { id: 'default' } } },
    },
  };
}

/** True while any process of the group exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when nothing accepts a connection at `url` (any answer within 5 s is a connection). */
export async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
    return false;
  } catch {
    return true;
  }
}

export const b64 = (text: string): string => Buffer.from(text).toString('base64');
