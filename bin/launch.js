// Starts a Rekindle command: from its esbuild bundle in dist/bundle/ when that bundle is newer
// than every source file (fast start), else from the TypeScript sources through tsx.
// REKINDLE_FROM_SOURCE=1 forces the sources. `npm run build` (and scripts/setup.sh) make the bundles.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

function freshBundle(name) {
  if (process.env.REKINDLE_FROM_SOURCE === '1') return undefined;
  const bundle = join(root, 'dist', 'bundle', `${name}.mjs`);
  try {
    return statSync(bundle).mtimeMs >= newestSource(join(root, 'src')) ? bundle : undefined;
  } catch {
    return undefined;
  }
}

/** Imports the command's module (bundle or source) and returns it. */
export async function load(name, sourceEntry) {
  const bundle = freshBundle(name);
  if (bundle) return import(pathToFileURL(bundle).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, sourceEntry)).href);
}
