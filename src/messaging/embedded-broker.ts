/**
 * The MQTT broker the manager embeds (aedes), listening on the manager's private address.
 * Authenticates every client (agents against the registry's scrypt hashes, the manager with
 * its own secret) and enforces the topic rules of broker-auth.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { Aedes } from 'aedes';
import type { AuthenticateError, Client } from 'aedes';
import type { AgentRegistryPort } from './agent-registry.js';
import { canPublish, canSubscribe } from './broker-auth.js';
import type { BrokerIdentity } from './broker-auth.js';
import type { AgentCredentials } from './credentials.js';
import { verifySecret } from './credentials.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import { MANAGER_CLIENT_ID, agentClientId, isValidAgentName } from './topics.js';

/** Options of {@link startEmbeddedBroker}. */
export interface EmbeddedBrokerOptions {
  /** Address to listen on: the manager's private IP (loopback in tests). */
  host: string;
  /** @default 0 (a free port) */
  port?: number;
  registry: AgentRegistryPort;
  /** The manager's own broker credentials (user name must be `rekindle-manager`). */
  manager: AgentCredentials;
  logger?: Logger;
  /** Called when an agent's current connection closes (for any reason, clean or not). */
  onAgentDisconnect?: (name: string) => void;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  host: string;
  port: number;
  /** `mqtt://host:port`. */
  url: string;
  /** Names of the agents connected right now. */
  connectedAgents(): string[];
  /** The source address of each connected agent (its host's address when it binds one). */
  agentAddresses(): Record<string, string | null>;
  /** Closes the listener and every client connection. */
  close(): Promise<void>;
}

const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  const error = new Error(message) as AuthenticateError;
  error.returnCode = returnCode;
  return error;
}

/** Starts an aedes broker with Rekindle's authentication and topic authorisation. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const logger = options.logger ?? silentLogger();
  const identities = new WeakMap<Client, BrokerIdentity>();
  const connected = new Map<string, Client>();
  /** Agent name -> `${hash}:${sha256(secret)}` of the last successful check, so reconnect storms skip scrypt. */
  const verified = new Map<string, string>();
  const managerSecret = Buffer.from(options.manager.password);

  const refuse = (client: Client, username: string | undefined, reason: string, code: number, done: (error: AuthenticateError | null, success: boolean | null) => void): void => {
    logger.warn({ agent: username ?? null, clientId: client.id, remoteAddress: remoteAddress(client), reason }, 'broker refused a connection');
    done(authError(reason, code), null);
  };

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const secret = password?.toString('utf8') ?? '';
      if (username === options.manager.username) {
        const given = Buffer.from(secret);
        const ok = given.length === managerSecret.length && timingSafeEqual(given, managerSecret) && client.id === MANAGER_CLIENT_ID;
        if (!ok) return refuse(client, username, 'bad manager credentials or client id', BAD_CREDENTIALS, done);
        identities.set(client, { role: 'manager' });
        return done(null, true);
      }
      if (username === undefined || !isValidAgentName(username)) return refuse(client, username, 'missing or invalid user name', BAD_CREDENTIALS, done);
      if (client.id !== agentClientId(username)) return refuse(client, username, `client id must be ${agentClientId(username)}`, NOT_AUTHORIZED, done);
      options.registry.get(username).then(
        async (record) => {
          if (record === null) return refuse(client, username, 'unknown agent', BAD_CREDENTIALS, done);
          const key = `${record.credentialHash}:${createHash('sha256').update(secret).digest('base64')}`;
          const ok = verified.get(username) === key || (await verifySecret(secret, record.credentialHash));
          if (!ok) return refuse(client, username, 'wrong password', BAD_CREDENTIALS, done);
          verified.set(username, key);
          identities.set(client, { role: 'agent', name: username });
          done(null, true);
        },
        (error: unknown) => {
          logger.error({ err: error, agent: username }, 'agent registry lookup failed');
          done(authError('registry unavailable', 3), null);
        },
      );
    },
    authorizePublish(client, packet, done) {
      const identity = client === null ? undefined : identities.get(client);
      if (identity !== undefined && canPublish(identity, packet.topic)) return done(null);
      logger.warn({ clientId: client?.id ?? null, topic: packet.topic }, 'broker refused a publish');
      done(new Error(`not allowed to publish to ${packet.topic}`));
    },
    authorizeSubscribe(client, subscription, done) {
      const identity = identities.get(client);
      if (identity !== undefined && canSubscribe(identity, subscription.topic)) return done(null, subscription);
      logger.warn({ clientId: client.id, topic: subscription.topic }, 'broker refused a subscription');
      done(null, null); // SUBACK 0x80 for this topic; the connection stays up

    },
  });

  broker.on('clientReady', (client) => {
    const identity = identities.get(client);
    if (identity?.role === 'agent') connected.set(identity.name, client);
  });
  broker.on('clientDisconnect', (client) => {
    const identity = identities.get(client);
    if (identity?.role === 'agent' && connected.get(identity.name) === client) {
      connected.delete(identity.name);
      options.onAgentDisconnect?.(identity.name);
    }
  });
  broker.on('clientError', (client, error) => {
    logger.debug({ clientId: client.id, err: error.message }, 'broker client error');
  });

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true); // small request/response messages must not wait for Nagle + delayed ACK
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  logger.info({ host: options.host, port }, 'embedded broker listening');

  return {
    host: options.host,
    port,
    url: `mqtt://${options.host}:${port}`,
    connectedAgents: () => [...connected.keys()].sort(),
    agentAddresses: () => Object.fromEntries([...connected].map(([name, client]) => [name, remoteAddress(client)])),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        broker.close();
      }),
  };
}

function remoteAddress(client: Client): string | null {
  const conn = client.conn as { remoteAddress?: string };
  return conn.remoteAddress ?? null;
}
