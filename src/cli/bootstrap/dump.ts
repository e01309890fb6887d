/**
 * The manager-deployment dump (spec §1.1): `provider_context.cloudify.manager_deployment` is the
 * base64 of a gzip tar whose single top folder is `manager/` (the whole local state folder, paths
 * ending in `.git` and the lock file left out). Extraction does nothing when the dump is empty or
 * `.cloudify/bootstrap/manager` exists.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../../core/index.js';
import { readTarGz, type ArchiveEntry } from '../../manager/index.js';
import { packTar, type TarEntry } from './tar.js';

/** Largest dump accepted (3.4's MAX_MANAGER_DEPLOYMENT_SIZE). */
export const MAX_MANAGER_DEPLOYMENT_SIZE = 50 * 1024 * 1024;

const skipped = (name: string): boolean => name.endsWith('.git') || name === 'lock';

/** Base64 gzip tar of `managerDir` under the top folder `manager/`. */
export function dumpManagerDeployment(managerDir: string): string {
  const entries: TarEntry[] = [{ name: 'manager/' }];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (skipped(name)) continue;
      const full = join(dir, name);
      const rel = relative(managerDir, full).split(sep).join('/');
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        entries.push({ name: `manager/${rel}/` });
        walk(full);
      } else if (stat.isFile()) entries.push({ name: `manager/${rel}`, data: readFileSync(full), mode: stat.mode & 0o777 });
    }
  };
  walk(managerDir);
  const gz = gzipSync(packTar(entries));
  if (gz.length > MAX_MANAGER_DEPLOYMENT_SIZE) {
    throw new UserError('manager_dump_too_large', `The manager deployment (${managerDir}) is ${gz.length} bytes compressed, over the ${MAX_MANAGER_DEPLOYMENT_SIZE} byte limit`, {
      hints: ['Keep large files out of the manager blueprint folder'],
    });
  }
  return gz.toString('base64');
}

/** The dump inside a provider context, or '' when there is none. */
export function dumpOf(providerContext: Record<string, unknown> | null | undefined): string {
  const cloudify = providerContext?.cloudify as Record<string, unknown> | undefined;
  const dump = cloudify?.manager_deployment;
  return typeof dump === 'string' ? dump : '';
}

/**
 * Extracts the dump into `bootstrapDir` (giving `bootstrapDir/manager`) unless the dump is empty
 * or that folder exists. Returns true when it extracted.
 */
export function extractManagerDeploymentIfNeeded(bootstrapDir: string, dump: string): boolean {
  const target = join(bootstrapDir, 'manager');
  if (dump === '' || existsSync(target)) return false;
  let entries: ArchiveEntry[];
  try {
    entries = readTarGz(Buffer.from(dump, 'base64'), { maxEntries: 100_000, maxBytes: 8 * MAX_MANAGER_DEPLOYMENT_SIZE });
  } catch (cause) {
    throw new UserError('manager_dump_invalid', 'The manager deployment stored in the provider context is not a valid gzip tar', { cause });
  }
  const building = join(bootstrapDir, `.manager.extract-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(building, 'manager'), { recursive: true });
  for (const entry of entries) {
    // The reader already refused absolute paths, `..`, links and non-file entries.
    if (!entry.path.startsWith('manager/')) {
      throw new UserError('manager_dump_invalid', `The manager deployment dump holds '${entry.path}' outside its manager/ folder`);
    }
    const path = join(building, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.data, { mode: entry.mode ?? 0o600 });
  }
  renameSync(join(building, 'manager'), target);
  rmSync(building, { recursive: true, force: true });
  return true;
}
