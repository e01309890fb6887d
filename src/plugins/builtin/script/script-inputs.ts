/** The script plugin's inputs: `script_path`, `process` {cwd, env, args, command_prefix, timeout}; the rest become env vars. */
import { NonRecoverableError } from '../../../core/index.js';

/** Validated script inputs. */
export interface CompiledScriptInputs {
  scriptPath: string;
  cwd?: string;
  args: string[];
  commandPrefix?: string;
  /** Seconds; undefined = no limit. */
  timeoutSeconds?: number;
  /** Operation inputs (except script_path and process) merged with `process.env`, as strings. */
  env: Record<string, string>;
}

const reserved = new Set(['script_path', 'process', 'ctx']);

/** Validates the inputs; throws NonRecoverableError listing every problem. */
export function parseScriptInputs(inputs: Record<string, unknown>): CompiledScriptInputs {
  const problems: string[] = [];
  const scriptPath = inputs.script_path;
  if (typeof scriptPath !== 'string' || scriptPath.trim() === '') {
    problems.push(
      "the 'script_path' input is missing: map the operation to a script in the blueprint folder (e.g. 'scripts/start.sh')",
    );
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(scriptPath)) {
    problems.push(
      `script_path '${scriptPath}' is a URL; Rekindle runs scripts from the blueprint folder only: copy the script into it`,
    );
  }
  const process = inputs.process ?? {};
  if (typeof process !== 'object' || process === null || Array.isArray(process)) {
    problems.push(
      "the 'process' input must be a dictionary (cwd, env, args, command_prefix, timeout)",
    );
  }
  const proc = (typeof process === 'object' && process !== null ? process : {}) as Record<
    string,
    unknown
  >;
  const result: CompiledScriptInputs = {
    scriptPath: typeof scriptPath === 'string' ? scriptPath : '',
    args: [],
    env: {},
  };
  if (proc.cwd !== undefined && proc.cwd !== null) {
    if (typeof proc.cwd === 'string') result.cwd = proc.cwd;
    else problems.push("'process.cwd' must be a string");
  }
  if (proc.args !== undefined && proc.args !== null) {
    if (Array.isArray(proc.args)) result.args = proc.args.map((a) => envText(a));
    else problems.push("'process.args' must be a list");
  }
  if (proc.command_prefix !== undefined && proc.command_prefix !== null) {
    if (typeof proc.command_prefix === 'string') result.commandPrefix = proc.command_prefix;
    else problems.push("'process.command_prefix' must be a string");
  }
  if (proc.timeout !== undefined && proc.timeout !== null) {
    const seconds = Number(proc.timeout);
    if (Number.isFinite(seconds) && seconds > 0) result.timeoutSeconds = seconds;
    else
      problems.push(
        `'process.timeout' must be a positive number of seconds, got ${JSON.stringify(proc.timeout)}`,
      );
  }
  for (const [key, value] of Object.entries(inputs))
    if (!reserved.has(key)) result.env[key] = envText(value);
  if (proc.env !== undefined && proc.env !== null) {
    if (typeof proc.env === 'object' && !Array.isArray(proc.env)) {
      for (const [key, value] of Object.entries(proc.env)) result.env[key] = envText(value);
    } else problems.push("'process.env' must be a dictionary");
  }
  if (problems.length > 0)
    throw new NonRecoverableError(`Invalid script plugin inputs: ${problems.join('; ')}`);
  return result;
}

/** Cloudify's rule: dicts, lists and booleans are JSON-encoded, everything else is its text; null is ''. */
function envText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
