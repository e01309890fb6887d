/**
 * An HTTP GET load generator for the manager benchmark, run in its OWN process (the manager
 * and the client would otherwise share one event loop and one core's worth of CPU):
 * `node --import tsx bench/http-load.ts '<json LoadSpec>'` prints `{"warm":true}` when the warm-up
 * ends (the caller starts its CPU accounting there) and then one JSON {@link LoadResult}.
 * undici `Pool` with keep-alive connections; each connection has one request in flight, so a
 * latency is one request's round trip, and the client allocates little per request.
 */
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';

/** What to load. */
export interface LoadSpec {
  origin: string;
  /** Paths requested round-robin. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  /** Requests before this are not measured (JIT warm-up of both sides). */
  warmupMs: number;
  durationMs: number;
}

/** What the load generator measured (milliseconds; CPU of this process). */
export interface LoadResult {
  requests: number;
  errors: number;
  wallMs: number;
  clientCpuMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** The `p`th percentile of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `spec.connections` request loops for `spec.durationMs`. */
export async function runLoad(spec: LoadSpec, onWarm: () => void = () => undefined): Promise<LoadResult> {
  const pool = new Pool(spec.origin, { connections: spec.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let cpu = process.cpuUsage();
  let started = performance.now();
  const warmUntil = started + spec.warmupMs;
  const until = warmUntil + spec.durationMs;
  let warm = spec.warmupMs <= 0;
  if (warm) onWarm();
  try {
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        while (performance.now() < until) {
          const path = spec.paths[next++ % spec.paths.length]!;
          const t = performance.now();
          if (!warm && t >= warmUntil) {
            warm = true;
            cpu = process.cpuUsage();
            started = t;
            onWarm();
          }
          const measured = warm;
          const response = await pool.request({ method: 'GET', path, headers: spec.headers });
          await response.body.dump({ limit: Infinity });
          if (response.statusCode !== 200) errors++;
          if (measured) latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    wallMs,
    clientCpuMs: (used.user + used.system) / 1000,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runLoad(JSON.parse(process.argv[2] ?? '{}') as LoadSpec, () => process.stdout.write('{"warm":true}\n'));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
