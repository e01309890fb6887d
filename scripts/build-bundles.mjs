#!/usr/bin/env node
// Bundles the `cfy` CLI into dist/bundle/cfy.mjs with esbuild (dependencies stay external), so
// the command starts in a fraction of the time tsx needs. bin/launch.js uses the bundle only
// while it is newer than every source file. Then builds the browser UI (src/web/app) into
// dist/web with Vite; the manager serves it at / (docs/web.md).
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';

// Worker-thread modules get a bundle of their own, named after the module: startModuleWorker
// (src/core/module-worker.ts) runs dist/bundle/<name>.mjs when the caller is bundled.
const entries = { cfy: 'src/cli/main.ts', 'import-worker': 'src/snapshots/import-worker.ts' };
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: `dist/bundle/${name}.mjs`,
    logLevel: 'warning',
  });
}
console.log(`Bundled ${Object.keys(entries).join(', ')} into dist/bundle/`);
await viteBuild({ configFile: 'src/web/app/vite.config.ts', logLevel: 'warn' });
console.log('Built the web UI into dist/web/');
