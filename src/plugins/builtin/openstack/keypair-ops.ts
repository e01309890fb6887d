/** `nova_plugin.keypair.*`: create (private key written to `private_key_path`, mode 600) and delete. */
import { existsSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { NonRecoverableError } from '../../../core/index.js';
import { isNotFound } from './api/errors.js';
import {
  asText,
  clearResource,
  isExternal,
  objectProperty,
  resourceName,
  setResource,
} from './context.js';
import { clientFor, type OsOperation } from './env.js';

type Json = Record<string, unknown>;

function keyPath(value: unknown): string {
  const path = asText(value);
  return path.startsWith('~') ? `${homedir()}${path.slice(1)}` : path;
}

/** `nova_plugin.keypair.create`. */
export const createKeypair: OsOperation = async (ctx, inputs, env) => {
  const client = clientFor(ctx, inputs, env);
  const path = keyPath(ctx.node.properties.private_key_path);
  if (isExternal(ctx.node)) {
    const name = asText(ctx.node.properties.resource_id);
    try {
      await client.get('compute', `/os-keypairs/${encodeURIComponent(name)}`);
    } catch (error) {
      if (isNotFound(error))
        throw new NonRecoverableError(
          `External keypair ${name} does not exist (use_external_resource is true)`,
        );
      throw error;
    }
    if (path !== '' && !existsSync(path))
      throw new NonRecoverableError(
        `The private key of external keypair ${name} is expected at ${path}, which does not exist`,
      );
    setResource(ctx, 'keypair', name, name, true);
    ctx.logger.info(`Using external resource keypair: ${name}`);
    return;
  }
  if (path === '') throw new NonRecoverableError(`Keypair ${ctx.node.id} needs private_key_path`);
  if (existsSync(path))
    throw new NonRecoverableError(
      `Private key file ${path} already exists; remove it or set use_external_resource`,
    );
  const name = asText(objectProperty(ctx.node, 'keypair').name) || resourceName(ctx, 'keypair');
  const created = (await client.post<Json>('compute', '/os-keypairs', { keypair: { name } }))
    .keypair as Json;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, asText(created.private_key), { mode: 0o600 });
  setResource(ctx, 'keypair', name, name, false);
  ctx.logger.info(`Created keypair ${name}; private key written to ${path}`);
};

/** `nova_plugin.keypair.delete`: deletes the keypair and its private key file (not for external ones). */
export const deleteKeypair: OsOperation = async (ctx, inputs, env) => {
  const name = asText(ctx.instance.runtimeProperties.external_id);
  if (!isExternal(ctx.node) && name !== '') {
    try {
      await clientFor(ctx, inputs, env).delete(
        'compute',
        `/os-keypairs/${encodeURIComponent(name)}`,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const path = keyPath(ctx.node.properties.private_key_path);
    if (path !== '') rmSync(path, { force: true });
    ctx.logger.info(`Deleted keypair ${name}`);
  }
  clearResource(ctx);
};
