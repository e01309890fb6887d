/**
 * `openstack_config`: where the plugin finds the cloud. Merged lowest first: environment
 * (`OS_*`), the JSON file named by `OPENSTACK_CONFIG_PATH`, the node's `openstack_config`
 * property, the operation's `openstack_config` input (Cloudify plugin 1.3 order).
 */
import { existsSync, readFileSync } from 'node:fs';
import { NonRecoverableError } from '../../../../core/index.js';

/** Compiled connection settings. */
export interface OpenStackConfig {
  username: string;
  password: string;
  /** Project (tenant) name. */
  tenantName: string;
  /** Keystone URL, e.g. `http://127.0.0.1:8774/v3` (a URL without `/v3` gets it appended). */
  authUrl: string;
  /** Region to pick endpoints for; empty = any. */
  region: string;
  /** Endpoint interface. @default 'public' */
  interface: string;
  userDomainName: string;
  projectDomainName: string;
  /** Nova microversion to request. @default '2.1' */
  novaMicroversion: string;
  /** Seconds between polls (server delete, floating-IP checks). @default 5 */
  pollInterval: number;
  /** Seconds to wait for a deleted server to disappear. @default 120 */
  deleteTimeout: number;
}

type Raw = Record<string, unknown>;

function fromEnv(env: NodeJS.ProcessEnv): Raw {
  const raw: Raw = {};
  const map: Record<string, string> = {
    OS_USERNAME: 'username',
    OS_PASSWORD: 'password',
    OS_TENANT_NAME: 'tenant_name',
    OS_PROJECT_NAME: 'tenant_name',
    OS_AUTH_URL: 'auth_url',
    OS_REGION_NAME: 'region',
    OS_INTERFACE: 'interface',
    OS_USER_DOMAIN_NAME: 'user_domain_name',
    OS_PROJECT_DOMAIN_NAME: 'project_domain_name',
  };
  for (const [key, name] of Object.entries(map)) if (env[key]) raw[name] = env[key];
  const path = env.OPENSTACK_CONFIG_PATH;
  if (path && existsSync(path)) {
    try {
      Object.assign(raw, JSON.parse(readFileSync(path, 'utf8')) as Raw);
    } catch (cause) {
      throw new NonRecoverableError(`OPENSTACK_CONFIG_PATH ${path} is not valid JSON`, { cause });
    }
  }
  return raw;
}

function text(raw: Raw, key: string, fallback?: string): string {
  const value = raw[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  if (fallback !== undefined) return fallback;
  throw new NonRecoverableError(
    `openstack_config is missing '${key}': set it in the node's openstack_config property, the operation's openstack_config input, the OPENSTACK_CONFIG_PATH file or OS_${key.toUpperCase()}`,
  );
}

function seconds(raw: Raw, key: string, fallback: number): number {
  const value = raw[key];
  return typeof value === 'number' && value >= 0 ? value : fallback;
}

/** Merges the four sources and checks the required keys. */
export function resolveOpenStackConfig(
  property: unknown,
  input: unknown,
  env: NodeJS.ProcessEnv = process.env,
): OpenStackConfig {
  const raw: Raw = { ...fromEnv(env), ...asRecord(property), ...asRecord(input) };
  return {
    username: text(raw, 'username'),
    password: text(raw, 'password'),
    tenantName: text(
      raw,
      'tenant_name',
      typeof raw.project_name === 'string' ? raw.project_name : undefined,
    ),
    authUrl: text(raw, 'auth_url'),
    region: text(raw, 'region', ''),
    interface: text(raw, 'interface', 'public'),
    userDomainName: text(raw, 'user_domain_name', 'Default'),
    projectDomainName: text(raw, 'project_domain_name', 'Default'),
    novaMicroversion: text(raw, 'nova_microversion', '2.1'),
    pollInterval: seconds(raw, 'poll_interval', 5),
    deleteTimeout: seconds(raw, 'delete_timeout', 120),
  };
}

function asRecord(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}
