/**
 * Floating-IP forwarding: for every associated floating IP, a TCP proxy listens on
 * `<floating address>:<port>` for each forwarded port and pipes connections to
 * `<fixed address>:<port>`. Both ends are checked to be loopback before any listen or connect.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { assertLoopback } from './ip.js';

/** One wanted forwarding rule. */
export interface ForwardRule {
  floatingIp: string;
  fixedIp: string;
  port: number;
}

/** A listener's state, shown by `cfy cloud status`. */
export interface ForwardStatus extends ForwardRule {
  listening: boolean;
  error: string | null;
}

interface Listener {
  rule: ForwardRule;
  server: Server;
  sockets: Set<Socket>;
  listening: boolean;
  error: string | null;
}

const keyOf = (r: { floatingIp: string; port: number }): string => `${r.floatingIp}:${r.port}`;

/** Keeps the set of TCP proxies equal to the wanted rules. */
export class FloatingIpForwarder {
  readonly #listeners = new Map<string, Listener>();
  #chain: Promise<void> = Promise.resolve();

  /** Starts and stops listeners so that exactly `rules` are served. Calls are serialised. */
  sync(rules: ForwardRule[]): Promise<void> {
    const next = this.#chain.then(() => this.#apply(rules));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Current listeners, for status output. */
  status(): ForwardStatus[] {
    return [...this.#listeners.values()].map((l) => ({
      ...l.rule,
      listening: l.listening,
      error: l.error,
    }));
  }

  /** Stops every listener and drops open connections. */
  close(): Promise<void> {
    return this.sync([]);
  }

  async #apply(rules: ForwardRule[]): Promise<void> {
    const wanted = new Map(rules.map((r) => [keyOf(r), r]));
    const closing: Promise<void>[] = [];
    for (const [key, listener] of this.#listeners) {
      const rule = wanted.get(key);
      if (rule && rule.fixedIp === listener.rule.fixedIp && listener.listening) continue;
      this.#listeners.delete(key);
      closing.push(closeListener(listener));
    }
    await Promise.all(closing);
    const opening: Promise<void>[] = [];
    for (const [key, rule] of wanted) {
      if (this.#listeners.has(key)) continue;
      const listener = openListener(rule);
      this.#listeners.set(key, listener.listener);
      opening.push(listener.ready);
    }
    await Promise.all(opening);
  }
}

function openListener(rule: ForwardRule): { listener: Listener; ready: Promise<void> } {
  assertLoopback(rule.floatingIp, 'listen on');
  assertLoopback(rule.fixedIp, 'forward to');
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: rule.fixedIp, port: rule.port });
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listener: Listener = { rule, server, sockets, listening: false, error: null };
  const ready = new Promise<void>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      listener.error = `${error.code ?? 'error'}: ${error.message}`;
      resolve();
    });
    server.listen({ host: rule.floatingIp, port: rule.port, exclusive: true }, () => {
      listener.listening = true;
      resolve();
    });
  });
  return { listener, ready };
}

function closeListener(listener: Listener): Promise<void> {
  for (const socket of listener.sockets) socket.destroy();
  if (!listener.listening) return Promise.resolve();
  return new Promise((resolve) => listener.server.close(() => resolve()));
}
