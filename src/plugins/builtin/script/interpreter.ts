/**
 * How a script is run: `process.command_prefix` if given; else by extension (`.py` -> python3,
 * `.js`/`.mjs`/`.cjs` -> node); else its shebang line; else `.sh` -> sh, `.bash` -> bash.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { NonRecoverableError } from '../../../core/index.js';

/** A program and its arguments. */
export interface ScriptCommand {
  file: string;
  args: string[];
}

export interface InterpreterOptions {
  /** `process.command_prefix`, e.g. `/usr/bin/env bash -x`. */
  commandPrefix?: string;
  /** `process.args`. */
  args: string[];
  /** The Python 3 to use. @default REKINDLE_PYTHON, else the python3 on PATH (resolved once) */
  python?: string;
  /** What the operation calls the script, for messages. */
  scriptPath: string;
}

/** The command that runs `localPath` (the downloaded script). */
export function scriptCommand(localPath: string, options: InterpreterOptions): ScriptCommand {
  const { args } = options;
  if (options.commandPrefix !== undefined && options.commandPrefix.trim() !== '') {
    const [file, ...prefixArgs] = options.commandPrefix.trim().split(/\s+/);
    return { file: file!, args: [...prefixArgs, localPath, ...args] };
  }
  const extension = extname(options.scriptPath).toLowerCase();
  if (extension === '.py') return { file: options.python ?? python3(), args: [localPath, ...args] };
  if (extension === '.js' || extension === '.mjs' || extension === '.cjs')
    return { file: process.execPath, args: [localPath, ...args] };
  if (hasShebang(localPath)) return { file: localPath, args };
  if (extension === '.sh') return { file: 'sh', args: [localPath, ...args] };
  if (extension === '.bash') return { file: 'bash', args: [localPath, ...args] };
  throw new NonRecoverableError(
    `Cannot tell how to run script '${options.scriptPath}': add a '#!' line (e.g. '#!/bin/bash'), ` +
      `use a known extension (.sh, .bash, .py, .js, .mjs), or set the 'process.command_prefix' input`,
  );
}

function hasShebang(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(2);
    return readSync(fd, buffer, 0, 2, 0) === 2 && buffer.toString('latin1') === '#!';
  } finally {
    closeSync(fd);
  }
}

let resolvedPython: string | undefined;

/**
 * The Python 3 interpreter: REKINDLE_PYTHON, else the real executable behind `python3` on PATH,
 * resolved once per process (version-manager shims such as pyenv's cost ~100 ms per start).
 */
export function python3(): string {
  if (process.env.REKINDLE_PYTHON) return process.env.REKINDLE_PYTHON;
  if (resolvedPython === undefined) {
    try {
      resolvedPython =
        execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
          encoding: 'utf8',
          timeout: 10_000,
        }).trim() || 'python3';
    } catch {
      resolvedPython = 'python3';
    }
  }
  return resolvedPython;
}
