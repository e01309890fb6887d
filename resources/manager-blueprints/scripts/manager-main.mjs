#!/usr/bin/env node
// The manager process of the `rekindle-manager` image: `bin/cfy-manager.js start ...`, plus the
// snapshot routes while src/manager/app.ts does not register them itself yet (workaround: once
// app.ts registers `snapshotsPlugin`, this simply runs the standard entry point).
import { readFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const repo = new URL('../../../', import.meta.url);
const managerMain = await import(new URL('src/manager/main.ts', repo).href);
const appSource = readFileSync(new URL('src/manager/app.ts', repo), 'utf8');
if (appSource.includes('snapshotsPlugin')) {
  process.exitCode = await managerMain.main(process.argv);
} else {
  const { snapshotsPlugin } = await import(new URL('src/manager/routes/snapshots-plugin.ts', repo).href);
  const { defaultManagerDeps } = await import(new URL('src/manager/wiring.ts', repo).href);
  const version = JSON.parse(readFileSync(new URL('package.json', repo), 'utf8')).version;
  const snapshots = {
    start: async ({ config, services }) => ({
      routes: (api) => {
        void api.register(snapshotsPlugin, { services, config, version, prefix: '' });
      },
      close: async () => {},
    }),
  };
  const program = managerMain.buildManagerProgram((options) => {
    const deps = defaultManagerDeps();
    return managerMain.runManager(options, { ...deps, extensions: [...(deps.extensions ?? []), snapshots] });
  });
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    process.stderr.write(`cfy-manager: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
