/** Manager configuration: what `cfy-manager start` accepts, validated once. */
import { isAbsolute, join, resolve } from 'node:path';
import { badParameters } from './errors.js';

/** Options for {@link createManager}. Everything but `dataDir` is optional. */
export interface ManagerOptions {
  /** Folder for the database (SQLite default), blueprints, logs and the generated admin password. */
  dataDir: string;
  /** Address to bind. Loopback only unless you know why. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 8101 */
  port?: number;
  /** `sqlite:///abs/path.db`, a file path, `:memory:` or `postgres://...`. @default `sqlite://<dataDir>/manager.db` */
  storageUrl?: string;
  /** PEM certificate and key files; both or neither. Serves HTTPS when given. */
  tlsCert?: string;
  tlsKey?: string;
  /** File holding the first-start admin password. */
  adminPasswordFile?: string;
  /** First-start admin password (the process passes `REKINDLE_ADMIN_PASSWORD`). */
  adminPassword?: string;
  /** Most executions active at once. @default 50 */
  maxParallelExecutions?: number;
  /** Largest blueprint upload in bytes. @default 50 MiB */
  maxUploadBytes?: number;
  /** Most bytes an archive may expand to. @default 200 MiB */
  maxExtractedBytes?: number;
  /** Most entries an archive may hold. @default 10000 */
  maxArchiveEntries?: number;
  /** Lifetime of tokens from `GET /tokens`. @default 10 hours */
  tokenTtlMs?: number;
  /** pino level of the log file. @default 'info' */
  logLevel?: string;
  /** Also log warnings and errors to stderr. @default true */
  logToStderr?: boolean;
  /** How long close() waits for running workflows to stop. @default 5000 */
  closeGraceMs?: number;
  /** Address of the embedded MQTT broker agents connect to (the manager's private IP). @default `host` */
  brokerHost?: string;
  /** Broker port; 0 picks a free one on first start and keeps it in `<dataDir>/broker.json`. @default 0 */
  brokerPort?: number;
  /** An external broker (`mqtt://host:port`) instead of the embedded one. */
  brokerUrl?: string;
  /** Run without a broker (no agents). @default false */
  noBroker?: boolean;
}

export interface CompiledManagerConfig {
  dataDir: string;
  host: string;
  port: number;
  storageUrl: string;
  tls: { cert: string; key: string } | null;
  adminPasswordFile: string | undefined;
  adminPassword: string | undefined;
  maxParallelExecutions: number;
  maxUploadBytes: number;
  maxExtractedBytes: number;
  maxArchiveEntries: number;
  tokenTtlMs: number;
  logLevel: string;
  logToStderr: boolean;
  logFile: string;
  closeGraceMs: number;
  /** Null: no broker. */
  broker: { host: string; port: number; url: string | null } | null;
}

const MiB = 1024 * 1024;

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw badParameters(`${name} must be an integer >= ${min}, got ${v}`, { [name]: v });
  return v;
}

/** Validates options and fills defaults. */
export function compileManagerConfig(options: ManagerOptions): CompiledManagerConfig {
  if (!options.dataDir) throw badParameters('--data-dir is required');
  const dataDir = resolve(options.dataDir);
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw badParameters('Give both --tls-cert and --tls-key, or neither');
  }
  const storageUrl = options.storageUrl ?? `sqlite://${join(dataDir, 'manager.db')}`;
  const file = (f: string): string => (isAbsolute(f) ? f : resolve(f));
  return {
    dataDir,
    host: options.host ?? '127.0.0.1',
    port: positiveInt('port', options.port, 8101, 0),
    storageUrl,
    tls: options.tlsCert !== undefined && options.tlsKey !== undefined ? { cert: file(options.tlsCert), key: file(options.tlsKey) } : null,
    adminPasswordFile: options.adminPasswordFile === undefined ? undefined : file(options.adminPasswordFile),
    adminPassword: options.adminPassword,
    maxParallelExecutions: positiveInt('maxParallelExecutions', options.maxParallelExecutions, 50),
    maxUploadBytes: positiveInt('maxUploadBytes', options.maxUploadBytes, 50 * MiB),
    maxExtractedBytes: positiveInt('maxExtractedBytes', options.maxExtractedBytes, 200 * MiB),
    maxArchiveEntries: positiveInt('maxArchiveEntries', options.maxArchiveEntries, 10_000),
    tokenTtlMs: positiveInt('tokenTtlMs', options.tokenTtlMs, 10 * 3600 * 1000),
    logLevel: options.logLevel ?? 'info',
    logToStderr: options.logToStderr ?? true,
    logFile: join(dataDir, 'logs', 'manager.log'),
    closeGraceMs: positiveInt('closeGraceMs', options.closeGraceMs, 5000, 0),
    broker: options.noBroker === true
      ? null
      : { host: options.brokerHost ?? options.host ?? '127.0.0.1', port: positiveInt('brokerPort', options.brokerPort, 0, 0), url: options.brokerUrl ?? null },
  };
}
