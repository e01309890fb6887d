/**
 * The `-i/--inputs` parser shared by every command taking inputs (blueprints plan, deployments
 * create, executions start parameters...). Each value may be a YAML/JSON file path, a YAML/JSON
 * mapping string, or `k1=v1;k2=v2`. Several values merge, later ones winning.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/index.js';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badInputs(raw: string, reason: string): UserError {
  return new UserError('invalid_inputs_error', `Invalid inputs '${raw}': ${reason}`, {
    hints: [
      'Pass a YAML file path, a YAML/JSON mapping such as \'{"port": 8080}\', or key=value pairs such as "port=8080;user=centos"',
    ],
  });
}

/** Parses one `-i` value. `k=v` values are read as YAML scalars (8080 -> number, true -> boolean). */
export function parseInputsValue(raw: string): Record<string, unknown> {
  const text = raw.trim();
  if (text === '') return {};
  if (isFile(text)) {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(text, 'utf8'));
    } catch (error) {
      throw badInputs(
        raw,
        `file is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
    }
    if (data === null || data === undefined) return {};
    if (!isPlainMapping(data))
      throw badInputs(raw, 'the file must hold a YAML mapping of input names to values');
    return data;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    parsed = undefined;
  }
  if (isPlainMapping(parsed)) return parsed;
  if (text.includes('=')) return parseKeyValues(raw, text);
  throw badInputs(raw, 'not a file, not a YAML/JSON mapping and not key=value pairs');
}

function parseKeyValues(raw: string, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw badInputs(raw, `'${part}' is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1);
    let parsed: unknown;
    try {
      parsed = value.trim() === '' ? '' : parseYaml(value);
    } catch {
      parsed = value;
    }
    out[key] = typeof parsed === 'object' && parsed !== null ? value : parsed;
  }
  return out;
}

/** Parses and merges every `-i` value. */
export function parseInputs(
  values: readonly string[] | string | undefined,
): Record<string, unknown> {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  return Object.assign({}, ...list.map(parseInputsValue)) as Record<string, unknown>;
}
