/**
 * Cloud configuration: defaults < `cloud.json` in the data folder (or `--config FILE`) <
 * environment < command-line options. Compiled once; every address is checked to be loopback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/index.js';
import { isLoopback, isLoopbackCidr, parseCidr } from './ip.js';
import type { ImageSpec } from './images.js';

const userSchema = z
  .object({ name: z.string().min(1), password: z.string(), project: z.string().min(1) })
  .strict();

/** What may appear in cloud.json (all optional). */
export const cloudFileSchema = z
  .object({
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    region: z.string().min(1),
    users: z.array(userSchema).min(1),
    tokenTtlSeconds: z.number().int().positive(),
    forwardedPorts: z.array(z.number().int().min(1).max(65535)),
    floatingPool: z
      .object({ networkName: z.string().min(1), cidr: z.string() })
      .strict()
      .nullable(),
    images: z.record(
      z.string(),
      z.object({ command: z.string(), description: z.string().optional() }).strict(),
    ),
    managerImageCommand: z.string(),
    deletePreexistingPortsWithServer: z.boolean(),
    buildDelayMs: z.number().int().min(0),
    stopGraceMs: z.number().int().min(0),
    monitorIntervalMs: z.number().int().positive(),
  })
  .partial()
  .strict();

/** Options for a local cloud; everything but `dataDir` has a default. */
export type CloudOptions = z.infer<typeof cloudFileSchema> & {
  /** Folder holding state.json and one folder per server. */
  dataDir: string;
  /** A config file to read instead of `<dataDir>/cloud.json`. */
  configFile?: string;
};

export interface CloudUser {
  name: string;
  password: string;
  project: string;
}

/** Validated configuration. */
export interface CompiledCloudConfig {
  dataDir: string;
  /** @default '127.0.0.1' */
  host: string;
  /** @default 8774 (0 = any free port) */
  port: number;
  /** @default 'RegionOne' */
  region: string;
  /** @default [{ name: 'admin', password: 'admin', project: 'admin' }] */
  users: CloudUser[];
  /** @default 3600 */
  tokenTtlSeconds: number;
  /** TCP ports a floating IP forwards to its fixed IP. @default [22, 80, 443, 5672, 8101, 53229, 53333] */
  forwardedPorts: number[];
  /** External network created at first start, whose subnet is the floating-IP pool. @default public, 127.0.100.0/24 */
  floatingPool: { networkName: string; cidr: string } | null;
  images: Record<string, ImageSpec>;
  /** Boot command of the `rekindle-manager` image (env REKINDLE_MANAGER_IMAGE_COMMAND). */
  managerImageCommand: string | undefined;
  /** Old Nova behaviour: deleting a server also deletes the ports passed in. @default false */
  deletePreexistingPortsWithServer: boolean;
  /** How long a new server stays in BUILD before it boots. @default 200 */
  buildDelayMs: number;
  /** SIGTERM-to-SIGKILL grace when stopping a server. @default 2000 */
  stopGraceMs: number;
  /** How often live servers are checked for dead process groups. @default 1000 */
  monitorIntervalMs: number;
}

/** Defaults, environment (REKINDLE_CLOUD_*, REKINDLE_MANAGER_IMAGE_COMMAND) and options merged, then checked. */
export function compileCloudConfig(
  options: CloudOptions,
  env: NodeJS.ProcessEnv = process.env,
): CompiledCloudConfig {
  const dataDir = resolve(options.dataDir);
  const file = readConfigFile(
    options.configFile ?? join(dataDir, 'cloud.json'),
    options.configFile !== undefined,
  );
  const fromEnv: z.infer<typeof cloudFileSchema> = {};
  if (env.REKINDLE_MANAGER_IMAGE_COMMAND)
    fromEnv.managerImageCommand = env.REKINDLE_MANAGER_IMAGE_COMMAND;
  if (env.REKINDLE_CLOUD_FORWARDED_PORTS)
    fromEnv.forwardedPorts = env.REKINDLE_CLOUD_FORWARDED_PORTS.split(',').map(Number);
  const { dataDir: _d, configFile: _c, ...cli } = options;
  const merged = { ...file, ...fromEnv, ...definedOnly(cli) };
  const config: CompiledCloudConfig = {
    dataDir,
    host: merged.host ?? '127.0.0.1',
    port: merged.port ?? 8774,
    region: merged.region ?? 'RegionOne',
    users: merged.users ?? [{ name: 'admin', password: 'admin', project: 'admin' }],
    tokenTtlSeconds: merged.tokenTtlSeconds ?? 3600,
    forwardedPorts: merged.forwardedPorts ?? [22, 80, 443, 5672, 8101, 53229, 53333],
    floatingPool:
      merged.floatingPool === undefined
        ? { networkName: 'public', cidr: '127.0.100.0/24' }
        : merged.floatingPool,
    images: merged.images ?? {},
    managerImageCommand: merged.managerImageCommand,
    deletePreexistingPortsWithServer: merged.deletePreexistingPortsWithServer ?? false,
    buildDelayMs: merged.buildDelayMs ?? 200,
    stopGraceMs: merged.stopGraceMs ?? 2000,
    monitorIntervalMs: merged.monitorIntervalMs ?? 1000,
  };
  checkAddresses(config);
  return config;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function readConfigFile(path: string, required: boolean): z.infer<typeof cloudFileSchema> {
  if (!existsSync(path)) {
    if (required)
      throw new UserError('cloud_config_invalid', `Cloud config file ${path} does not exist`, {
        details: { path },
      });
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new UserError('cloud_config_invalid', `Cloud config file ${path} is not valid JSON`, {
      cause,
      details: { path },
    });
  }
  const parsed = cloudFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new UserError(
      'cloud_config_invalid',
      `Cloud config file ${path} is invalid:\n  ${problems.join('\n  ')}`,
      {
        details: { path, problems },
        hints: ['See docs/cloud.md for the keys cloud.json accepts'],
      },
    );
  }
  return parsed.data;
}

function checkAddresses(config: CompiledCloudConfig): void {
  const problems: string[] = [];
  if (!isLoopback(config.host)) problems.push(`host ${config.host} is not in 127.0.0.0/8`);
  if (config.floatingPool) {
    const cidr = parseCidr(config.floatingPool.cidr);
    if (!cidr) problems.push(`floatingPool.cidr ${config.floatingPool.cidr} is not an IPv4 CIDR`);
    else if (!isLoopbackCidr(cidr))
      problems.push(`floatingPool.cidr ${config.floatingPool.cidr} is not inside 127.0.0.0/8`);
  }
  for (const port of config.forwardedPorts) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      problems.push(`forwarded port ${port} is not a TCP port`);
  }
  if (problems.length > 0) {
    throw new UserError(
      'cloud_config_invalid',
      `The local cloud configuration is invalid: ${problems.join('; ')}`,
      {
        details: { problems },
        hints: ['The local cloud only uses loopback addresses (127.0.0.0/8)'],
      },
    );
  }
}
