/**
 * Snapshot chaos: a child process creates (or restores) a snapshot on a real SQLite data dir and
 * is SIGKILLed at a random moment; then the data dir is opened as a manager start would
 * (reconciliation) and checked: integrity check passes, every snapshot is `created` and verifies
 * or is `failed` as interrupted, and a restore is applied fully or not at all (storage rows and
 * blueprint files both match the state before, or both match the state after).
 *
 *   npx tsx scripts/snapshot-chaos.ts [--trials 20] [--seed 42]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/core/index.js';
import { openStandaloneSnapshots } from '../src/manager/services/snapshots-standalone.js';
import { interruptedCreateError } from '../src/manager/services/snapshots.js';
import { openSnapshotArchive } from '../src/snapshots/index.js';
import type { StoragePort, TransactionOptions } from '../src/storage/index.js';
import { seedSnapshotData, type SeedSize } from './snapshot-seed.js';

const SNAPSHOT = 'chaos';
const self = fileURLToPath(import.meta.url);

export interface ChaosOptions {
  trials: number;
  size?: SeedSize;
  seed?: number;
  log?: (line: string) => void;
}

export interface PhaseSummary {
  phase: 'create' | 'restore';
  trials: number;
  /** Trials whose child finished before the kill. */
  finished: number;
  /** Outcome label -> count (create: created / failed / absent; restore: before / after). */
  outcomes: Record<string, number>;
  violations: string[];
}

// ---------- child ----------

/**
 * Targeted kill points of a restore's critical section: `in-transaction` (import done, not
 * committed), `after-commit` (committed, files not swapped yet).
 */
type KillStage = 'in-transaction' | 'after-commit';

function killAt(stage: KillStage | undefined, storage: StoragePort): void {
  if (stage === undefined) return;
  const transaction = storage.transaction.bind(storage);
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  storage.transaction = (async <T>(fn: (tx: StoragePort) => Promise<T>, options?: TransactionOptions): Promise<T> => {
    const result = await transaction(async (tx) => {
      const value = await fn(tx);
      if (stage === 'in-transaction') die();
      return value;
    }, options);
    if (stage === 'after-commit') die();
    return result;
  });
}

async function child(mode: string, dataDir: string, stage: KillStage | undefined, workerRows: number | undefined): Promise<void> {
  const m = await openStandaloneSnapshots(dataDir, { reconcile: false, scrypt: { n: 1024 }, ...(workerRows === undefined ? {} : { restoreReadInWorkerFromRows: workerRows }) });
  killAt(stage, m.storage);
  process.stdout.write('go\n');
  const execution = mode === 'create' ? await m.snapshots.create(SNAPSHOT) : await m.snapshots.restore(SNAPSHOT);
  await m.snapshots.settled(execution.id);
  await m.close();
  process.stdout.write('done\n');
}

/** Runs the child; kills its process group `killAfterMs` after it says go (never, if undefined). */
function runChild(mode: string, dataDir: string, killAfterMs: number | undefined, stage?: KillStage, workerRows?: number): Promise<{ finished: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', self, '--child', mode, '--data-dir', dataDir, ...(stage ? ['--kill-stage', stage] : []), ...(workerRows === undefined ? [] : ['--worker-rows', String(workerRows)])];
    const proc = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (started === 0 && out.includes('go\n')) {
        started = Date.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => {
          try {
            process.kill(-proc.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, killAfterMs);
      }
    });
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      const finished = out.includes('done\n');
      if (!finished && signal !== 'SIGKILL') reject(new Error(`chaos child (${mode}) exited ${code ?? signal}: ${err.slice(-2000)}`));
      else resolve({ finished, ms: started === 0 ? 0 : Date.now() - started });
    });
  });
}

// ---------- checks ----------

function filesFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string, prefix: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else hash.update(`${prefix}${e.name}\0`).update(readFileSync(join(d, e.name))).update('\0');
    }
  };
  walk(dir, '');
  return hash.digest('hex').slice(0, 16);
}

/** Opens the data dir like a manager start; returns the storage fingerprint and problems. */
async function inspect(dataDir: string): Promise<{ rows: string; files: string; problems: string[]; snapshot: string }> {
  const m = await openStandaloneSnapshots(dataDir, { scrypt: { n: 1024 } });
  const problems: string[] = [];
  try {
    const integrity = await m.storage.integrityCheck();
    if (!integrity.ok) problems.push(`integrity: ${integrity.problems.join('; ')}`);
    const restoreIds = new Set<string>();
    const rows: Record<string, unknown[]> = {};
    for await (const item of m.storage.exportAll()) {
      if (item.kind !== 'row') continue;
      const row = { ...item.row };
      if (item.table === 'executions' && row.workflow_id === 'restore_snapshot') {
        restoreIds.add(String(row.id));
        continue;
      }
      if (item.table === 'executions') delete row.ended_at;
      if (item.table === 'events') {
        if (restoreIds.has(String(row.execution_id))) continue;
        delete row.seq;
      }
      (rows[item.table] ??= []).push(row);
    }
    let snapshot = 'absent';
    const record = await m.storage.snapshots.find(SNAPSHOT);
    if (record) {
      snapshot = record.status;
      if (record.status === 'creating') problems.push('snapshot still creating after reconcile');
      if (record.status === 'failed' && record.error !== interruptedCreateError) problems.push(`snapshot failed: ${record.error ?? ''}`);
      if (record.status === 'created' || record.status === 'uploaded') {
        const archive = await openSnapshotArchive(join(dataDir, 'snapshots', SNAPSHOT, `${SNAPSHOT}.zip`));
        try {
          await archive.verify();
        } catch (error) {
          problems.push(`archive does not verify: ${(error as Error).message}`);
        } finally {
          archive.close();
        }
      }
    }
    const leftovers = readdirSync(dataDir).filter((n) => n.startsWith('.blueprints-'));
    const snapDir = join(dataDir, 'snapshots', SNAPSHOT);
    if (existsSync(snapDir)) leftovers.push(...readdirSync(snapDir).filter((n) => n.endsWith('.tmp')));
    if (leftovers.length > 0) problems.push(`left over: ${leftovers.join(', ')}`);
    const digest = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    return { rows: digest, files: filesFingerprint(join(dataDir, 'blueprints')), problems, snapshot };
  } finally {
    await m.close();
  }
}

// ---------- phases ----------

/** Runs both phases; returns one summary per phase. */
export async function runChaos(options: ChaosOptions): Promise<PhaseSummary[]> {
  const log = options.log ?? (() => undefined);
  const source32 = seededRandom(options.seed ?? 42);
  const random = (): number => parseInt(source32.hex(8), 16) / 0x100000000;
  const size = options.size ?? { blueprints: 5, deployments: 40, instancesPerDeployment: 25, events: 30_000 };
  const work = mkdtempSync(join(tmpdir(), 'rekindle-chaos-'));
  try {
    const source = join(work, 'source');
    const seeded = await openStandaloneSnapshots(source, { reconcile: false });
    await seedSnapshotData(seeded.storage, source, size);
    await seeded.close();

    // Restore target template: a clean manager (no blueprints) holding a marker row and the uploaded archive.
    const calibrateCreate = join(work, 'calibrate-create');
    cpSync(source, calibrateCreate, { recursive: true });
    const createMs = (await runChild('create', calibrateCreate, undefined)).ms;
    const target = join(work, 'target');
    const t = await openStandaloneSnapshots(target, { reconcile: false });
    await t.storage.executions.create({ id: 'marker', deploymentId: null, blueprintId: null, workflowId: 'create_snapshot', status: 'terminated', error: null, parameters: {}, isSystemWorkflow: true, createdAt: new Date(0).toISOString(), startedAt: null, endedAt: null });
    await t.storage.snapshots.create({ id: SNAPSHOT, createdAt: new Date().toISOString(), status: 'uploaded', error: null, size: null, sha256: null, encrypted: false });
    await t.close();
    mkdirSync(join(target, 'snapshots', SNAPSHOT), { recursive: true });
    cpSync(join(calibrateCreate, 'snapshots', SNAPSHOT, `${SNAPSHOT}.zip`), join(target, 'snapshots', SNAPSHOT, `${SNAPSHOT}.zip`));
    const before = await inspect(cpDir(target, join(work, 'before')));
    const calibrateRestore = cpDir(target, join(work, 'calibrate-restore'));
    const restoreMs = (await runChild('restore', calibrateRestore, undefined)).ms;
    const after = await inspect(calibrateRestore);
    if (before.rows === after.rows) throw new Error('chaos setup: the restore changed nothing');
    log(`calibration: create ${createMs} ms, restore ${restoreMs} ms`);

    const summaries: PhaseSummary[] = [];
    for (const phase of ['create', 'restore'] as const) {
      const summary: PhaseSummary = { phase, trials: 0, finished: 0, outcomes: {}, violations: [] };
      const span = (phase === 'create' ? createMs : restoreMs) * 1.1 + 20;
      // Random kill times, plus (restore) one kill at each critical point.
      const stages: (KillStage | undefined)[] = [...Array<undefined>(options.trials).fill(undefined), ...(phase === 'restore' ? (['in-transaction', 'after-commit'] as const) : [])];
      for (const [trial, stage] of stages.entries()) {
        const dir = cpDir(phase === 'create' ? source : target, join(work, `${phase}-${trial}`));
        const killAt = stage === undefined ? Math.floor(random() * span) : -1;
        // Restores alternate between reading the archive in a worker thread and on the main thread.
        const inWorker = trial % 2 === 0;
        const run = await runChild(phase, dir, stage === undefined ? killAt : undefined, stage, phase === 'restore' ? (inWorker ? 0 : Number.POSITIVE_INFINITY) : undefined);
        const state = await inspect(dir);
        summary.trials += 1;
        if (run.finished) summary.finished += 1;
        let outcome: string = state.snapshot;
        const label = `${stage === undefined ? `kill at ${killAt} ms` : `kill ${stage}`}${phase === 'restore' ? (inWorker ? ', reader thread' : ', main thread') : ''}`;
        const problems = [...state.problems];
        if (phase === 'restore') {
          outcome = state.rows === after.rows ? 'after' : state.rows === before.rows ? 'before' : 'MIXED';
          if (outcome === 'MIXED') problems.push('storage is neither the state before nor after the restore');
          const files = outcome === 'after' ? after.files : before.files;
          if (state.files !== files) problems.push(`blueprint files do not match the storage state (${outcome})`);
        }
        summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
        const expected = stage === 'in-transaction' ? 'before' : stage === 'after-commit' ? 'after' : undefined;
        if (expected !== undefined && outcome !== expected) problems.push(`expected the state ${expected}, got ${outcome}`);
        for (const p of problems) summary.violations.push(`${phase} trial ${trial} (${label}): ${p}`);
        log(`${phase} trial ${trial}: ${label}, ${run.finished ? 'finished first' : 'killed'}, outcome ${outcome}${problems.length ? `, PROBLEMS: ${problems.join('; ')}` : ''}`);
        rmSync(dir, { recursive: true, force: true });
      }
      summaries.push(summary);
    }
    return summaries;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function cpDir(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** The summary table. */
export function formatSummary(summaries: readonly PhaseSummary[]): string {
  const lines = ['phase    trials  finished-before-kill  outcomes                         violations'];
  for (const s of summaries) {
    const outcomes = Object.entries(s.outcomes).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`${s.phase.padEnd(9)}${String(s.trials).padEnd(8)}${String(s.finished).padEnd(22)}${outcomes.padEnd(33)}${s.violations.length}`);
  }
  for (const s of summaries) for (const v of s.violations) lines.push(`  ! ${v}`);
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] === self) {
  const mode = arg('--child');
  if (mode !== undefined) {
    const workerRows = arg('--worker-rows');
    await child(mode, arg('--data-dir')!, arg('--kill-stage') as KillStage | undefined, workerRows === undefined ? undefined : Number(workerRows));
  } else {
    const summaries = await runChaos({ trials: Number(arg('--trials') ?? 20), seed: Number(arg('--seed') ?? 42), log: (l) => console.log(l) });
    console.log(`\n${formatSummary(summaries)}`);
    process.exitCode = summaries.some((s) => s.violations.length > 0) ? 1 : 0;
  }
}
