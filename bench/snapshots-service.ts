/**
 * Manager snapshot benchmark: create, verify and restore on SQLite at 1,000 deployments x 100
 * node instances + 1M events (scale with REKINDLE_BENCH_SCALE, e.g. 0.05 for a quick run),
 * printing time, archive size and peak RSS of each step (restore: each of REKINDLE_BENCH_RESTORES
 * runs, default 3, and their median), and the floor: SQLite online backup (`db.backup()`) + a
 * plain zip of it. Targets: create within 2x of the floor and < 10 s,
 * restore < 20 s, peak RSS < 300 MB.
 */
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import yazl from 'yazl';
import { openStandaloneSnapshots } from '../src/manager/services/snapshots-standalone.js';
import { useNativeZipCrc32, openSnapshotArchive } from '../src/snapshots/index.js';
import { seedSnapshotData } from '../scripts/snapshot-seed.js';

const MB = 1024 * 1024;

/**
 * Runs `fn`, sampling RSS every 20 ms; returns wall seconds, this process's CPU seconds (user +
 * system: on a shared machine wall time says more about the neighbours) and peak RSS in MB.
 */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpu: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const cpu = process.cpuUsage(cpuStart);
    return { value, seconds: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6, peakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The floor: SQLite's online backup, then a plain zip of it (yazl with the same native CRC-32 as the archives). */
async function floor(dbPath: string, dir: string): Promise<number> {
  useNativeZipCrc32();
  const backup = join(dir, 'backup.db');
  const db = new Database(dbPath, { readonly: true });
  try {
    await db.backup(backup);
  } finally {
    db.close();
  }
  const zip = new yazl.ZipFile();
  zip.addFile(backup, 'backup.db');
  zip.end();
  await pipeline(zip.outputStream as Readable, createWriteStream(join(dir, 'backup.zip')));
  return statSync(join(dir, 'backup.zip')).size;
}

export async function run(): Promise<void> {
  const scale = Number(process.env.REKINDLE_BENCH_SCALE ?? '1');
  const size = { blueprints: 10, deployments: Math.max(1, Math.round(1000 * scale)), instancesPerDeployment: 100, events: Math.round(1_000_000 * scale) };
  const work = mkdtempSync(join(tmpdir(), 'rekindle-bench-snap-'));
  try {
    const source = join(work, 'source');
    const seeded = await openStandaloneSnapshots(source, { reconcile: false });
    const seedTime = await measure(() => seedSnapshotData(seeded.storage, source, size));
    await seeded.close();
    console.log(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`data: ${size.deployments} deployments x ${size.instancesPerDeployment} node instances, ${size.events} events (seeded in ${seedTime.seconds.toFixed(1)} s); db ${(statSync(join(source, 'manager.db')).size / MB).toFixed(0)} MB`);
    const rows: string[][] = [];
    const floorDir = join(work, 'floor');
    mkdirSync(floorDir);
    const f = await measure(() => floor(join(source, 'manager.db'), floorDir));
    rows.push(['floor (db.backup + zip)', f.seconds.toFixed(2), f.cpu.toFixed(2), (f.value / MB).toFixed(1), f.peakMb.toFixed(0)]);

    const m = await openStandaloneSnapshots(source, { reconcile: false });
    const c = await measure(async () => {
      const execution = await m.snapshots.create('bench');
      await m.snapshots.settled(execution.id);
      return m.snapshots.get('bench');
    });
    await m.close();
    if (c.value.status !== 'created') throw new Error(`snapshot create failed: ${c.value.error}`);
    rows.push(['create', c.seconds.toFixed(2), c.cpu.toFixed(2), ((c.value.size ?? 0) / MB).toFixed(1), c.peakMb.toFixed(0)]);
    const archivePath = join(source, 'snapshots', 'bench', 'bench.zip');

    const v = await measure(async () => {
      const archive = await openSnapshotArchive(archivePath);
      try {
        await archive.verify();
      } finally {
        archive.close();
      }
    });
    rows.push(['verify', v.seconds.toFixed(2), v.cpu.toFixed(2), '', v.peakMb.toFixed(0)]);

    // The restore runs several times, each into a fresh manager: this machine's speed varies from
    // run to run, so the median is the figure, and every run is printed.
    const runs = Math.max(1, Number(process.env.REKINDLE_BENCH_RESTORES ?? '3'));
    const restores: { seconds: number; cpu: number; peakMb: number; checkpoint: number }[] = [];
    for (let run = 0; run < runs; run += 1) {
      const target = join(work, `target-${run}`);
      const t = await openStandaloneSnapshots(target, { reconcile: false });
      await t.storage.snapshots.create({ id: 'bench', createdAt: new Date().toISOString(), status: 'uploaded', error: null, size: null, sha256: null, encrypted: false });
      cpSync(join(source, 'snapshots', 'bench'), join(target, 'snapshots', 'bench'), { recursive: true });
      const r = await measure(async () => {
        const execution = await t.snapshots.restore('bench', { force: false });
        await t.snapshots.settled(execution.id);
        return t.storage.executions.get(execution.id);
      });
      // close() waits for the background WAL checkpoint the restore left running.
      const closed = await measure(() => t.close());
      if (r.value.status !== 'terminated') throw new Error(`restore failed: ${r.value.error ?? ''}`);
      restores.push({ seconds: r.seconds, cpu: r.cpu, peakMb: r.peakMb, checkpoint: closed.seconds });
      rows.push([`restore, run ${run + 1}`, r.seconds.toFixed(2), r.cpu.toFixed(2), '', r.peakMb.toFixed(0)]);
      rmSync(target, { recursive: true, force: true });
    }
    const median = [...restores].sort((a, b) => a.seconds - b.seconds)[Math.floor(restores.length / 2)]!;
    rows.push([`restore (median of ${runs})`, median.seconds.toFixed(2), median.cpu.toFixed(2), '', Math.max(...restores.map((x) => x.peakMb)).toFixed(0)]);

    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('step                       wall s   CPU s  archive MB  peak RSS MB');
    for (const [step, s, cpu, mb, rss] of rows) console.log(`${step!.padEnd(27)}${s!.padStart(6)}  ${cpu!.padStart(6)}  ${mb!.padStart(10)}  ${rss!.padStart(11)}`);
    console.log(`create / floor: ${(c.seconds / f.seconds).toFixed(2)}x wall, ${(c.cpu / f.cpu).toFixed(2)}x CPU (target <= 2x, create < 10 s, restore < 20 s, peak RSS < 300 MB)`);
    console.log(`restore: median ${median.seconds.toFixed(2)} s (CPU counts both threads); the background WAL checkpoint after it took ${restores.map((x) => x.checkpoint.toFixed(2)).join(', ')} s more (the manager serves requests meanwhile)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) await run();
