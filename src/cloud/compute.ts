/**
 * Server lifecycle: build, stop, start, reboot, delete, crash, and watching process groups.
 * API calls change the record at once (task_state) and finish asynchronously, as Nova does;
 * every change is committed (state saved, forwarding updated).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledCloudConfig } from './config.js';
import type { Image } from './images.js';
import type { NeutronModel } from './neutron-model.js';
import { prepareServerFolder } from './server-folder.js';
import { bootProcessGroup, isLeaderAlive, signalGroup, stopProcessGroup } from './processes.js';
import type { CloudState, ServerRecord } from './state.js';
import { isoSeconds, naiveMicros } from './time.js';

/** Where the compute service logs. */
export interface CloudLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ComputeDeps {
  config: CompiledCloudConfig;
  state: CloudState;
  neutron: NeutronModel;
  imageById(id: string): Image | undefined;
  commit(): Promise<void>;
  now(): number;
  log: CloudLog;
}

/** Runs servers as process groups. */
export class Compute {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #busy = new Set<Promise<void>>();
  #monitor: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly deps: ComputeDeps) {}

  /** The folder of a server (its disk, user data, console log). */
  serverDir(id: string): string {
    return join(this.deps.config.dataDir, 'servers', id);
  }

  server(id: string): ServerRecord | undefined {
    return this.deps.state.servers.find((s) => s.id === id);
  }

  /** Re-adopts live process groups after a cloud restart and starts the liveness monitor. */
  async start(): Promise<void> {
    for (const server of this.deps.state.servers) {
      if (server.task_state === 'deleting') {
        this.#track(this.#finishDelete(server));
        continue;
      }
      if (server.vm_state === 'building') {
        if (server.pid !== null) signalGroup(server.pid, 'SIGKILL');
        this.#fail(server, 'The local cloud restarted while the server was building');
        continue;
      }
      if (server.pid !== null && !isLeaderAlive(server.pid, server.pid_start))
        this.#markDown(server, 'found dead after a cloud restart');
      else if (server.task_state === 'powering-off' && server.pid !== null)
        this.#track(this.#stop(server));
      else if (server.task_state !== null) this.#settle(server);
    }
    await this.deps.commit();
    this.#monitor = setInterval(() => this.#check(), this.deps.config.monitorIntervalMs);
    this.#monitor.unref();
  }

  /** Stops timers and waits for transitions in flight. Server processes keep running. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#monitor) clearInterval(this.#monitor);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#busy]);
  }

  /** Kills every server's process group (tests and `cfy cloud stop --kill-servers`). */
  async killAll(): Promise<void> {
    await Promise.all(
      this.deps.state.servers
        .filter((s) => s.pid !== null)
        .map(async (s) => {
          await stopProcessGroup(s.pid!, 0);
          s.pid = null;
        }),
    );
  }

  /** Schedules the build of a new server (its record and ports already exist). */
  scheduleBuild(server: ServerRecord): void {
    this.#later(this.deps.config.buildDelayMs, () => {
      if (server.task_state !== 'scheduling' || !this.server(server.id)) return;
      server.task_state = 'spawning';
      this.#bootAndCommit(server);
    });
  }

  /** `os-stop`: powering-off now, SHUTOFF when the group is gone. */
  stop(server: ServerRecord): void {
    server.task_state = 'powering-off';
    this.#touch(server);
    this.#track(this.#stop(server));
  }

  /** `os-start`: powering-on now, ACTIVE once booted. */
  startServer(server: ServerRecord): void {
    server.task_state = 'powering-on';
    this.#touch(server);
    this.#later(0, () => {
      if (server.task_state === 'powering-on' && this.server(server.id))
        this.#bootAndCommit(server);
    });
  }

  /** `reboot`: kill the group, boot again. */
  reboot(server: ServerRecord, hard: boolean): void {
    server.task_state = hard ? 'rebooting_hard' : 'rebooting';
    this.#touch(server);
    this.#track(
      (async () => {
        if (server.pid !== null)
          await stopProcessGroup(server.pid, hard ? 0 : this.deps.config.stopGraceMs);
        server.pid = null;
        this.#boot(server);
        await this.deps.commit();
      })(),
    );
  }

  /** `DELETE /servers/{id}`: deleting now, gone (404) once the group and folder are removed. */
  delete(server: ServerRecord): void {
    server.task_state = 'deleting';
    this.#touch(server);
    this.#track(this.#finishDelete(server));
  }

  /** Kills the group without any API call, the way a VM dies: SHUTOFF, ports and floating IPs stay. */
  async crash(server: ServerRecord): Promise<void> {
    if (server.pid !== null) await stopProcessGroup(server.pid, 0);
    this.#markDown(server, 'crashed (cfy cloud crash)');
    await this.deps.commit();
  }

  #boot(server: ServerRecord): void {
    const image = this.deps.imageById(server.image_id);
    if (!image || image.command.trim() === '') {
      const why = image
        ? `image ${image.name} has no boot command (set REKINDLE_MANAGER_IMAGE_COMMAND or images.${image.name}.command)`
        : `image ${server.image_id} no longer exists`;
      this.#fail(server, `Build of instance ${server.id} aborted: ${why}`);
      return;
    }
    const ips = this.#fixedIps(server);
    server.boot_count += 1;
    try {
      const dir = this.serverDir(server.id);
      const booted = bootProcessGroup({
        serverDir: dir,
        command: image.command,
        env: prepareServerFolder(dir, server, image, ips),
      });
      server.pid = booted.pid;
      server.pid_start = booted.pidStart;
      const pid = booted.pid;
      void booted.exited.then(() => this.#onExit(server.id, pid));
    } catch (error) {
      this.#fail(server, `Build of instance ${server.id} aborted: ${(error as Error).message}`);
      return;
    }
    server.vm_state = 'active';
    server.power_state = 1;
    server.task_state = null;
    server.launched_at ??= naiveMicros(this.deps.now());
    server.fault = null;
    this.#setPorts(server, 'ACTIVE');
    this.#touch(server);
    this.deps.log.info(
      `server ${server.name} (${server.id}) booted, pid ${server.pid}, ip ${ips[0] ?? '-'}`,
    );
  }

  async #stop(server: ServerRecord): Promise<void> {
    if (server.pid !== null) await stopProcessGroup(server.pid, this.deps.config.stopGraceMs);
    server.pid = null;
    server.pid_start = null;
    server.vm_state = 'stopped';
    server.power_state = 4;
    server.task_state = null;
    this.#setPorts(server, 'DOWN');
    this.#touch(server);
    await this.deps.commit();
  }

  async #finishDelete(server: ServerRecord): Promise<void> {
    if (server.pid !== null)
      await stopProcessGroup(server.pid, Math.min(500, this.deps.config.stopGraceMs));
    server.pid = null;
    rmSync(this.serverDir(server.id), { recursive: true, force: true });
    const { neutron, state, config } = this.deps;
    for (const attached of server.ports) {
      const port = state.ports.find((p) => p.id === attached.port_id);
      if (!port || port.device_id !== server.id) continue;
      if (!attached.preexisting || config.deletePreexistingPortsWithServer) {
        neutron.deletePort(port.id);
      } else {
        port.device_id = '';
        port.device_owner = '';
        port.binding_host_id = '';
        port.status = 'DOWN';
        neutron.touch(port);
      }
    }
    state.servers = state.servers.filter((s) => s.id !== server.id);
    this.deps.log.info(`server ${server.name} (${server.id}) deleted`);
    await this.deps.commit();
  }

  #bootAndCommit(server: ServerRecord): void {
    this.#track(
      Promise.resolve().then(() => {
        this.#boot(server);
        return this.deps.commit();
      }),
    );
  }

  #onExit(serverId: string, pid: number): void {
    const server = this.server(serverId);
    if (this.#closed || !server || server.pid !== pid || server.task_state !== null) return;
    signalGroup(pid, 'SIGKILL');
    this.#markDown(server, 'its process group leader exited');
    this.#track(this.deps.commit());
  }

  #check(): void {
    let changed = false;
    for (const server of this.deps.state.servers) {
      if (server.pid === null || server.task_state !== null) continue;
      if (!isLeaderAlive(server.pid, server.pid_start)) {
        signalGroup(server.pid, 'SIGKILL');
        this.#markDown(server, 'its process group is gone');
        changed = true;
      }
    }
    if (changed) this.#track(this.deps.commit());
  }

  /** A running server whose processes died: SHUTOFF (power state SHUTDOWN), as Nova's power sync does. */
  #markDown(server: ServerRecord, why: string): void {
    server.pid = null;
    server.pid_start = null;
    if (server.vm_state === 'active') server.vm_state = 'stopped';
    server.power_state = 4;
    server.task_state = null;
    this.#setPorts(server, 'DOWN');
    this.#touch(server);
    this.deps.log.warn(`server ${server.name} (${server.id}) is down: ${why}`);
  }

  #fail(server: ServerRecord, message: string): void {
    server.vm_state = 'error';
    server.task_state = null;
    server.power_state = 0;
    server.pid = null;
    server.fault = { code: 500, message, details: message, created: isoSeconds(this.deps.now()) };
    this.#touch(server);
    this.deps.log.warn(message);
  }

  /** Ends an interrupted transition according to whether the group lives. */
  #settle(server: ServerRecord): void {
    const alive = server.pid !== null && isLeaderAlive(server.pid, server.pid_start);
    server.task_state = null;
    if (alive) {
      server.vm_state = 'active';
      server.power_state = 1;
    } else this.#markDown(server, 'interrupted by a cloud restart');
  }

  #fixedIps(server: ServerRecord): string[] {
    return server.ports.flatMap(
      (a) =>
        this.deps.state.ports.find((p) => p.id === a.port_id)?.fixed_ips.map((f) => f.ip_address) ??
        [],
    );
  }

  #setPorts(server: ServerRecord, status: 'ACTIVE' | 'DOWN'): void {
    for (const port of this.deps.state.ports)
      if (port.device_id === server.id) port.status = status;
  }

  #touch(server: ServerRecord): void {
    server.updated = isoSeconds(this.deps.now());
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) fn();
    }, ms);
    this.#timers.add(timer);
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.deps.log.warn(`server transition failed: ${(error as Error).message}`),
    );
    this.#busy.add(tracked);
    void tracked.finally(() => this.#busy.delete(tracked));
  }
}
