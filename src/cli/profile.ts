/**
 * The working-directory profile: `.cloudify/context` (YAML) in the current directory or a
 * parent, as in Cloudify 3.3. It remembers which manager `cfy use` / `cfy bootstrap` chose.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError, writeFileAtomic } from '../core/index.js';

/** What `.cloudify/context` holds. */
export interface Profile {
  management_ip: string | null;
  rest_port: number;
  protocol: 'http' | 'https';
  provider_context: Record<string, unknown> | null;
  management_user?: string | null;
  management_key?: string | null;
}

export const emptyProfile: Profile = { management_ip: null, rest_port: 80, protocol: 'http', provider_context: null };

/** The `.cloudify` folder in `cwd` or its nearest parent, or undefined. */
export function findCloudifyDir(cwd = process.cwd()): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, '.cloudify');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The `.cloudify` folder, or the 3.3 "Not initialized" error. */
export function requireCloudifyDir(cwd = process.cwd()): string {
  const dir = findCloudifyDir(cwd);
  if (!dir) {
    throw new UserError(
      'not_initialized_error',
      `Not initialized: Cannot find .cloudify in ${resolve(cwd)}, or in any of its parent directories`,
      { hints: ["Run 'cfy init' in this directory"] },
    );
  }
  return dir;
}

/** Creates `.cloudify/` with an empty context and config in `cwd`. */
export function initCloudifyDir(cwd = process.cwd(), reset = false): string {
  const dir = join(resolve(cwd), '.cloudify');
  if (existsSync(join(dir, 'context')) && !reset) {
    throw new UserError('already_initialized_error', 'Current directory is already initialized', {
      hints: ["Use 'cfy init -r' to reset the configuration"],
    });
  }
  mkdirSync(dir, { recursive: true });
  writeProfile(dir, emptyProfile);
  writeFileAtomic(join(dir, 'config.yaml'), stringify({ colors: false, import_resolver: { rules: [] } }));
  return dir;
}

export function readProfile(cloudifyDir: string): Profile {
  const path = join(cloudifyDir, 'context');
  if (!existsSync(path)) return { ...emptyProfile };
  const data = parse(readFileSync(path, 'utf8')) as Partial<Profile> | null;
  return { ...emptyProfile, ...(data ?? {}) };
}

export function writeProfile(cloudifyDir: string, profile: Profile): void {
  writeFileAtomic(join(cloudifyDir, 'context'), stringify(profile), 0o600);
}
