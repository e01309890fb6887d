#!/usr/bin/env node
// Bundles the `cfy` CLI into dist/bundle/cfy.mjs with esbuild (dependencies stay external), so
// the command starts in a fraction of the time tsx needs. bin/launch.js uses the bundle only
// while it is newer than every source file.
import { build } from 'esbuild';

const entries = { cfy: 'src/cli/main.ts' };
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
