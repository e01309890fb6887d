/**
 * Snapshot archive benchmark: write + verify an archive holding 1,000 deployments x 100 node
 * instances worth of NDJSON rows plus 1M event rows (synthetic), plain and encrypted; and as the
 * floor, the same bytes zipped by yazl with no hashing. Prints time, size, peak RSS and the ratio
 * to the floor. `npx tsx bench/snapshots.ts` (SNAPSHOT_BENCH_SCALE=0.1 for a quick run).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import yazl from 'yazl';
import { useNativeZipCrc32, createSnapshotArchive, openSnapshotArchive, type SnapshotEntryInput } from '../src/snapshots/index.js';

const scale = Number(process.env.SNAPSHOT_BENCH_SCALE ?? '1');
const DEPLOYMENTS = Math.round(1000 * scale);
const INSTANCES_PER_DEPLOYMENT = 100;
const EVENTS = Math.round(1_000_000 * scale);
const ROWS_PER_CHUNK = 500;

/**
 * Deterministic pseudo-random hex ids drawn from a pool of 65,536, so rows compress like real ids
 * do (not like repeated text) while generating them costs little next to what is measured.
 */
function prng(seed: number): (digits: number) => string {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const pool = Array.from({ length: 65_536 }, () => Array.from({ length: 5 }, () => next().toString(16).padStart(8, '0')).join(''));
  return (digits) => pool[next() & 0xffff]!.slice(0, digits);
}

async function* rows(count: number, make: (i: number) => unknown): AsyncGenerator<string> {
  for (let i = 0; i < count; i += ROWS_PER_CHUNK) {
    let chunk = '';
    for (let j = i; j < Math.min(count, i + ROWS_PER_CHUNK); j++) chunk += `${JSON.stringify(make(j))}\n`;
    yield chunk;
    if (i % 50_000 === 0) await new Promise((r) => setImmediate(r));
  }
}

function entries(): SnapshotEntryInput[] {
  const hex = prng(42);
  const deployment = (i: number): string => `dep-${i}`;
  return [
    {
      name: 'storage/deployments.ndjson',
      source: Readable.from(rows(DEPLOYMENTS, (i) => ({ id: deployment(i), blueprint_id: `bp-${i % 20}`, created_at: new Date(1_700_000_000_000 + i * 1000).toISOString(), inputs: { image: hex(32), flavor: 'm1.small' }, outputs: {} }))),
    },
    {
      name: 'storage/node_instances.ndjson',
      source: Readable.from(
        rows(DEPLOYMENTS * INSTANCES_PER_DEPLOYMENT, (i) => ({
          id: `vm_${hex(5)}`,
          deployment_id: deployment(Math.floor(i / INSTANCES_PER_DEPLOYMENT)),
          node_id: `node_${i % INSTANCES_PER_DEPLOYMENT}`,
          state: 'started',
          version: 3,
          runtime_properties: { ip: `10.${i % 250}.${(i >> 8) % 250}.${i % 200}`, external_id: hex(36), cloudify_agent: { name: `vm_${hex(5)}`, queue: hex(12) } },
          relationships: [{ target_id: `net_${hex(5)}`, type: 'cloudify.relationships.connected_to' }],
        })),
      ),
    },
    {
      name: 'storage/events.ndjson',
      source: Readable.from(
        rows(EVENTS, (i) => ({
          timestamp: new Date(1_700_000_000_000 + i * 37).toISOString(),
          type: 'cloudify_event',
          event_type: i % 3 === 0 ? 'task_started' : i % 3 === 1 ? 'task_succeeded' : 'sending_task',
          context: { deployment_id: deployment(i % Math.max(DEPLOYMENTS, 1)), execution_id: hex(36), node_id: `node_${i % 100}`, node_instance_id: `vm_${hex(5)}`, operation: 'cloudify.interfaces.lifecycle.start', task_id: hex(36) },
          message: { text: `Task ${i} ${hex(8)}`, arguments: null },
        })),
      ),
    },
    { name: 'agents/agents.ndjson', source: Readable.from(rows(DEPLOYMENTS, (i) => ({ deployment_id: deployment(i), broker: { ip: '127.0.0.1', port: 5671, ssl: true } }))) },
  ];
}

/** Samples RSS every 25 ms while `fn` runs. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number; baseRss: number }> {
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const started = process.hrtime.bigint();
  try {
    const value = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRss, baseRss };
  } finally {
    clearInterval(timer);
  }
}

async function floor(path: string): Promise<void> {
  useNativeZipCrc32(); // the archives use it too: compare like with like
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream as Readable, createWriteStream(path));
  for (const entry of entries()) zip.addReadStream(entry.source as Readable, entry.name);
  zip.end();
  await written;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-snap-bench-'));
  const metadata = { managerVersion: '0.1.0', storageSchemaVersion: 1, includesCredentials: false };
  const passphrase = 'bench passphrase';
  try {
    console.log(`snapshots bench: ${DEPLOYMENTS} deployments x ${INSTANCES_PER_DEPLOYMENT} node instances, ${EVENTS} events (scale ${scale})`);
    const results: { label: string; seconds: number; size: number; peakRss: number; baseRss: number }[] = [];
    const generate = await measure(async () => {
      for (const entry of entries()) for await (const _chunk of entry.source as Readable) void _chunk;
    });
    results.push({ label: 'input only: generate rows', ...generate, size: 0 });
    const floorRun = await measure(() => floor(join(dir, 'floor.zip')));
    results.push({ label: 'floor: yazl only, no hashing', ...floorRun, size: (await stat(join(dir, 'floor.zip'))).size });
    for (const encrypted of [false, true]) {
      const path = join(dir, encrypted ? 'encrypted.zip' : 'plain.zip');
      const write = await measure(() => createSnapshotArchive(path, { metadata, entries: entries(), ...(encrypted ? { encryption: { passphrase } } : {}) }));
      results.push({ label: `write ${encrypted ? 'encrypted' : 'plain'}`, ...write, size: write.value.size });
      const verify = await measure(async () => {
        const archive = await openSnapshotArchive(path, encrypted ? { passphrase } : {});
        try {
          return await archive.verify();
        } finally {
          archive.close();
        }
      });
      results.push({ label: `verify ${encrypted ? 'encrypted (decrypting)' : 'plain'}`, ...verify, size: write.value.size });
    }
    const plaintext = (await openSnapshotArchive(join(dir, 'plain.zip')).then((a) => (a.close(), a.entries()))).reduce((sum, e) => sum + e.size, 0);
    console.log(`uncompressed NDJSON: ${mb(plaintext)}`);
    console.log('case                              time      archive     peak RSS (growth)        vs floor');
    for (const r of results) {
      console.log(
        `${r.label.padEnd(34)}${`${r.seconds.toFixed(2)} s`.padEnd(10)}${mb(r.size).padEnd(12)}${`${mb(r.peakRss)} (+${mb(r.peakRss - r.baseRss)})`.padEnd(25)}${(r.seconds / floorRun.seconds).toFixed(2)}x`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
