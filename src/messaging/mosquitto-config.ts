/**
 * Files for running the channel on an external mosquitto (2.x): a password file generated from
 * the agent registry (mosquitto `$7$` PBKDF2-SHA512 hashes, stored at issue time) and an ACL
 * file equivalent to broker-auth.ts. Regenerate the password file and send mosquitto SIGHUP
 * after issuing or revoking agent credentials.
 */
import type { AgentRegistryPort } from './agent-registry.js';
import { mosquittoHash } from './credentials.js';
import { MANAGER_CLIENT_ID, TOPIC_ROOT } from './topics.js';

/** The password file: the manager's entry, then one line per agent with a mosquitto hash. */
export async function mosquittoPasswordFile(registry: AgentRegistryPort, managerSecret: string): Promise<string> {
  const lines = [`${MANAGER_CLIENT_ID}:${await mosquittoHash(managerSecret)}`];
  for (const record of await registry.list()) {
    if (record.brokerPasswordHash !== null) lines.push(`${record.name}:${record.brokerPasswordHash}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The ACL file: the manager reads and writes everything under the root; each agent only its own topics. */
export function mosquittoAclFile(): string {
  return [
    `user ${MANAGER_CLIENT_ID}`,
    `topic readwrite ${TOPIC_ROOT}/#`,
    '',
    `pattern read ${TOPIC_ROOT}/%u/tasks`,
    `pattern write ${TOPIC_ROOT}/%u/results`,
    `pattern write ${TOPIC_ROOT}/%u/logs`,
    `pattern write ${TOPIC_ROOT}/%u/events`,
    `pattern write ${TOPIC_ROOT}/%u/status`,
    '',
  ].join('\n');
}

/** A minimal mosquitto.conf for the channel (listener on the manager's private address). */
export function mosquittoConfFile(options: { host: string; port: number; passwordFile: string; aclFile: string; persistenceDir?: string; /** The user mosquitto switches to when started as root (it must read the files). */ user?: string }): string {
  return [
    ...(options.user === undefined ? [] : [`user ${options.user}`]),
    'per_listener_settings false',
    `listener ${options.port} ${options.host}`,
    'allow_anonymous false',
    `password_file ${options.passwordFile}`,
    `acl_file ${options.aclFile}`,
    ...(options.persistenceDir === undefined ? ['persistence false'] : ['persistence true', `persistence_location ${options.persistenceDir}/`]),
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n');
}
