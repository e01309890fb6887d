/**
 * Runs a script process in its own process group: streams stdout/stderr lines, keeps the tail of
 * stderr, enforces the timeout and cancellation (SIGTERM to the group, SIGKILL after a grace period).
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { NonRecoverableError } from '../../../core/index.js';
import type { ScriptCommand } from './interpreter.js';

export interface SpawnScriptOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Milliseconds; undefined = no limit. */
  timeoutMs?: number;
  signal: AbortSignal;
  onStdoutLine(line: string): void;
  onStderrLine(line: string): void;
  /** Milliseconds between SIGTERM and SIGKILL. @default 3000 */
  killGraceMs?: number;
}

export interface SpawnScriptResult {
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  exitSignal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** Last lines of stderr (at most 20). */
  stderrTail: string[];
}

const tailLines = 20;
const maxLineLength = 1000;
/** How long to wait for the output pipes after exit (a background child may hold them open). */
const pipeGraceMs = 200;

/** Runs `command` and resolves when it exits. Rejects only when it cannot start. */
export function spawnScript(
  command: ScriptCommand,
  options: SpawnScriptOptions,
): Promise<SpawnScriptResult> {
  return new Promise<SpawnScriptResult>((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderrTail: string[] = [];
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is gone already
      }
    };
    const terminate = (): void => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 3000);
    };
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    const stdout = lineReader(child.stdout, (line) => options.onStdoutLine(line));
    const stderr = lineReader(child.stderr, (line) => {
      stderrTail.push(line.length > maxLineLength ? `${line.slice(0, maxLineLength)}...` : line);
      if (stderrTail.length > tailLines) stderrTail.shift();
      options.onStderrLine(line);
    });
    if (options.timeoutMs !== undefined) {
      timeoutTimer = setTimeout(() => {
        timedOut = true;
        terminate();
      }, options.timeoutMs);
    }
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(
        new NonRecoverableError(
          `Cannot start '${command.file}' to run the script (${error.code ?? error.message}); install it, fix the script's '#!' line or set 'process.command_prefix'`,
          { cause: error },
        ),
      );
    });
    child.once('exit', (exitCode, exitSignal) => {
      if (timedOut || aborted) killGroup('SIGKILL');
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, pipeGraceMs);
      void Promise.all([stdout.done, stderr.done]).then(() => {
        clearTimeout(grace);
        cleanup();
        resolve({ exitCode, exitSignal, timedOut, aborted, stderrTail });
      });
    });

    function cleanup(): void {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
    }
  });
}

function lineReader(stream: Readable, onLine: (line: string) => void): { done: Promise<void> } {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('error', () => stream.destroy());
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) onLine(part.replace(/\r$/, ''));
  });
  const done = new Promise<void>((resolve) => {
    stream.once('close', () => {
      if (rest !== '') onLine(rest);
      rest = '';
      resolve();
    });
  });
  return { done };
}
