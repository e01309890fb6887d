/**
 * Starts a worker thread on one of our TypeScript modules, however the process runs: from the
 * sources through tsx (the manager, tests), the worker registers tsx before importing the module;
 * from an esbuild bundle (dist/bundle/), the worker runs the bundled `<name>.mjs` beside it
 * (scripts/build-bundles.mjs builds one per worker module). Errors cross the boundary as
 * {@link ErrorData}.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { OperationalError, RekindleError, UnexpectedError, UserError, type ErrorKind } from './errors.js';

/**
 * A worker running `moduleUrl` (a `.ts` module, given relative to the caller's
 * `import.meta.url`), with `options` (workerData, resourceLimits...).
 */
export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const path = fileURLToPath(moduleUrl);
  if (path.endsWith('.ts') && existsSync(path)) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
    return new Worker(boot, { ...options, eval: true });
  }
  const bundled = new URL(moduleUrl.href.replace(/\.ts$/, '.mjs'));
  if (!existsSync(fileURLToPath(bundled))) {
    throw new UnexpectedError('worker_module_missing', `Worker module ${path} is missing and so is its bundle ${fileURLToPath(bundled)}; run npm run build`);
  }
  return new Worker(bundled, options);
}

/** A {@link RekindleError} as plain data, to cross a thread boundary (classes and causes do not). */
export interface ErrorData {
  kind: ErrorKind;
  code: string;
  message: string;
  details: Record<string, unknown>;
  hints: string[];
  httpStatus: number;
}

/** `error` as {@link ErrorData}; anything that is not a RekindleError becomes an unexpected one with its stack. */
export function errorToData(error: unknown): ErrorData {
  if (error instanceof RekindleError) {
    return { kind: error.kind, code: error.code, message: error.message, details: { ...error.details }, hints: [...error.hints], httpStatus: error.httpStatus };
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { kind: 'unexpected', code: 'worker_error', message, details: {}, hints: [], httpStatus: 500 };
}

/** The error {@link errorToData} described, rebuilt with its class, code, details and hints. */
export function errorFromData(data: ErrorData): RekindleError {
  const options = { details: data.details, hints: data.hints, httpStatus: data.httpStatus };
  if (data.kind === 'user') return new UserError(data.code, data.message, options);
  if (data.kind === 'operational') return new OperationalError(data.code, data.message, options);
  return new UnexpectedError(data.code, data.message, options);
}
