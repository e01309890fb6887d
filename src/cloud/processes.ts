/**
 * Server processes. A running server is a detached process group whose leader is a keeper shell
 * that starts the image's boot command in the background and then waits forever. The group
 * outlives the cloud daemon; the cloud finds it again by pid (and kernel start time) after a
 * restart. Stopping, deleting or crashing a server signals the whole group.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keeper: boot command in the background, then stay up until signalled. */
const KEEPER =
  'bash -c "$REKINDLE_BOOT_COMMAND" </dev/null &\ntrap "exit 0" TERM\nwhile :; do sleep 3600 & wait $!; done';

/** What to boot. */
export interface BootRequest {
  serverDir: string;
  command: string;
  env: Record<string, string>;
}

/** A started process group. */
export interface BootedProcess {
  pid: number;
  pidStart: string | null;
  /** Resolves when the leader exits (only for groups this process started). */
  exited: Promise<void>;
}

/** Starts a server's process group; stdout and stderr go to console.log in the server folder. */
export function bootProcessGroup(request: BootRequest): BootedProcess {
  const log = openSync(join(request.serverDir, 'console.log'), 'a');
  try {
    const child = spawn('bash', ['-c', KEEPER], {
      cwd: request.serverDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: request.serverDir,
        ...request.env,
        REKINDLE_BOOT_COMMAND: request.command,
      },
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error('bash could not be started');
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    child.unref();
    return { pid, pidStart: processStartTime(pid), exited };
  } finally {
    closeSync(log);
  }
}

/** The kernel start time of a pid (field 22 of /proc/<pid>/stat), or null when unknown. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** True when the group leader `pid` is alive and (when known) started at `pidStart`. */
export function isLeaderAlive(pid: number, pidStart: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (pidStart === null) return true;
  const now = processStartTime(pid);
  return now === null || now === pidStart;
}

/** True while any process of the group exists. */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to a whole group; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, wait up to `graceMs` for the group to go, then SIGKILL and wait for it to be gone. */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isGroupAlive(pgid) && Date.now() < deadline) await pause(25);
  signalGroup(pgid, 'SIGKILL');
  const hard = Date.now() + 5000;
  while (isGroupAlive(pgid) && Date.now() < hard) await pause(10);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
