/**
 * `npm run bench [-- area ...]`: runs every benchmark script and prints its figures.
 * Each bench/<area>.ts exports `run()`; areas run one after another so they do not compete
 * for the two cores.
 */
import { existsSync } from 'node:fs';

const areas = ['dsl', 'engine', 'storage', 'messaging', 'snapshots', 'snapshots-service', 'manager', 'recovery', 'web'];
const wanted = process.argv.slice(2);

for (const area of areas) {
  if (wanted.length > 0 && !wanted.includes(area)) continue;
  const file = new URL(`./${area}.ts`, import.meta.url);
  if (!existsSync(file)) continue;
  console.log(`\n=== bench: ${area} ===`);
  const started = Date.now();
  const mod = (await import(file.href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`bench/${area}.ts does not export run()`);
  await mod.run();
  console.log(`=== ${area} done in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
}
