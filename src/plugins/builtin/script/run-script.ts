/**
 * The script plugin's one task, `script_runner.tasks.run`: fetches `script_path` from the
 * blueprint resources, runs it with a per-operation ctx proxy, streams its output to the logs and
 * turns how it ended into the operation's result or error.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { NonRecoverableError, OperationRetry, RecoverableError, packageRoot } from '../../../core/index.js';
import type { OperationContext } from '../../context/operation-context.js';
import { processCtxRequest } from './ctx-tree.js';
import { scriptCommand } from './interpreter.js';
import { startCtxProxy } from './proxy-server.js';
import { buildScriptCtx, StopOperationSignal, type ScriptOutcome } from './script-ctx.js';
import { spawnScript, type SpawnScriptResult } from './spawn-script.js';
import { parseScriptInputs } from './script-inputs.js';

const repoRoot = packageRoot();
/** The folder holding the `ctx` command (put first on the script's PATH). */
export const ctxBinDir = join(repoRoot, 'src', 'plugins', 'builtin', 'script', 'bin');
/** The folder holding the Python `cloudify` package (put first on PYTHONPATH). */
export const pythonPackageDir = join(repoRoot, 'resources', 'python');

/** A script that ended with a non-zero exit code (or a signal). Recoverable. */
export class ScriptFailedError extends RecoverableError {
  constructor(
    readonly scriptPath: string,
    readonly exitCode: number | null,
    readonly exitSignal: string | null,
    readonly stderrTail: readonly string[],
  ) {
    const how =
      exitCode !== null
        ? `failed with exit code ${exitCode}`
        : `was killed by signal ${exitSignal ?? 'unknown'}`;
    super(`Script '${scriptPath}' ${how}${summarise(stderrTail)}`);
  }
}

/** The message's stderr part: the last few lines on one line (the full tail is kept on the error). */
function summarise(stderrTail: readonly string[]): string {
  const lines = stderrTail.map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return '; stderr was empty';
  const text = lines.slice(-5).join(' | ');
  return `; stderr (last lines): ${text.length > 800 ? `...${text.slice(-800)}` : text}`;
}

/** `script.script_runner.tasks.run`. */
export async function runScript(
  ctx: OperationContext,
  inputs: Record<string, unknown>,
  signal: AbortSignal,
): Promise<unknown> {
  const options = parseScriptInputs(inputs);
  const workdir = mkdtempSync(join(tmpdir(), 'rk-'));
  try {
    const local = await ctx.downloadResource(
      options.scriptPath,
      join(workdir, basename(options.scriptPath)),
    );
    chmodSync(local, 0o755);
    const command = scriptCommand(local, {
      scriptPath: options.scriptPath,
      args: options.args,
      ...(options.commandPrefix === undefined ? {} : { commandPrefix: options.commandPrefix }),
    });
    const cwd = options.cwd ?? workdir;
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
      throw new NonRecoverableError(
        `The script's working folder 'process.cwd' = '${cwd}' does not exist; create it first or fix the input`,
      );
    }
    const outcome: ScriptOutcome = { returned: null, stop: null };
    const proxy = await startCtxProxy(
      workdir,
      (args, requestCwd) =>
        processCtxRequest(
          buildScriptCtx({ ctx, inputs, outcome, workdir }, { cwd: requestCwd }),
          args,
        ),
      (error) => error instanceof StopOperationSignal,
    );
    let result: SpawnScriptResult;
    try {
      ctx.logger.debug(`Executing: ${[command.file, ...command.args].join(' ')}`);
      result = await spawnScript(command, {
        cwd,
        signal,
        ...(options.timeoutSeconds === undefined
          ? {}
          : { timeoutMs: options.timeoutSeconds * 1000 }),
        env: scriptEnv(options.env, proxy.socketUrl),
        onStdoutLine: (line) => ctx.logger.info(line),
        onStderrLine: (line) => ctx.logger.error(line),
      });
    } finally {
      await proxy.close();
    }
    ctx.logger.debug(
      `Execution done (return_code=${result.exitCode ?? result.exitSignal}): ${options.scriptPath}`,
    );
    return conclude(options.scriptPath, result, outcome, options.timeoutSeconds, signal);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

function conclude(
  scriptPath: string,
  result: SpawnScriptResult,
  outcome: ScriptOutcome,
  timeoutSeconds: number | undefined,
  signal: AbortSignal,
): unknown {
  if (result.aborted)
    throw signal.reason instanceof Error
      ? signal.reason
      : new Error(`Script '${scriptPath}' was cancelled`);
  if (result.timedOut) {
    throw new RecoverableError(
      `Script '${scriptPath}' timed out after ${timeoutSeconds} seconds and was killed (input 'process.timeout')`,
    );
  }
  const stop = outcome.stop;
  if (stop?.kind === 'abort') throw new NonRecoverableError(stop.message);
  if (stop?.kind === 'retry') throw new OperationRetry(stop.message, stop.retryAfter);
  if (stop?.kind === 'recoverable') {
    throw new RecoverableError(
      stop.message,
      stop.retryAfter === undefined ? {} : { retryAfter: stop.retryAfter },
    );
  }
  if (result.exitCode !== 0)
    throw new ScriptFailedError(scriptPath, result.exitCode, result.exitSignal, result.stderrTail);
  return outcome.returned?.value;
}

function scriptEnv(extra: Record<string, string>, socketUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.CTX_SOCKET_URL = socketUrl;
  env.REKINDLE_NODE = process.execPath;
  env.PATH = [ctxBinDir, env.PATH].filter(Boolean).join(delimiter);
  env.PYTHONPATH = [pythonPackageDir, env.PYTHONPATH].filter(Boolean).join(delimiter);
  env.PYTHONUNBUFFERED = '1';
  env.PYTHONDONTWRITEBYTECODE = '1'; // keep resources/python free of __pycache__
  return env;
}
