/**
 * The per-operation ctx proxy server: a unix socket in the operation's private temp folder.
 * Protocol: one JSON line per connection, `{"args": [...], "cwd": "..."}`; one JSON line back,
 * `{"type": "result" | "error" | "stop_operation", "payload": ...}` (Cloudify's response shape).
 * See docs/decisions/plugins-ctx-proxy.md.
 */
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';

/** Answers one request. Throwing `stopType` instances answers `stop_operation`. */
export type CtxRequestHandler = (args: unknown[], cwd: string | null) => Promise<unknown>;

export interface CtxProxy {
  /** `unix://<path>`: the value of CTX_SOCKET_URL. */
  readonly socketUrl: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const maxRequestBytes = 16 * 1024 * 1024;

/** Starts a proxy listening on `<folder>/ctx.sock`. */
export async function startCtxProxy(
  folder: string,
  handle: CtxRequestHandler,
  isStop: (error: unknown) => boolean,
): Promise<CtxProxy> {
  const path = join(folder, 'ctx.sock');
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = false;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxRequestBytes) {
        answered = true;
        reply(socket, {
          type: 'error',
          payload: {
            type: 'RequestTooLarge',
            message: `ctx request larger than ${maxRequestBytes} bytes`,
          },
        });
        return;
      }
      if (chunk.includes(10) && !answered) {
        answered = true;
        socket.off('data', onData);
        void answer(socket, Buffer.concat(chunks).toString('utf8'), handle, isStop);
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socketUrl: `unix://${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  socket: Socket,
  text: string,
  handle: CtxRequestHandler,
  isStop: (error: unknown) => boolean,
): Promise<void> {
  let response: { type: string; payload: unknown };
  try {
    const request = JSON.parse(text.slice(0, text.indexOf('\n'))) as {
      args?: unknown;
      cwd?: unknown;
    };
    if (!Array.isArray(request.args)) throw new Error("a ctx request needs an 'args' list");
    const cwd = typeof request.cwd === 'string' ? request.cwd : null;
    response = { type: 'result', payload: (await handle(request.args, cwd)) ?? null };
  } catch (error) {
    if (isStop(error)) {
      response = { type: 'stop_operation', payload: { message: (error as Error).message } };
    } else {
      const err = error instanceof Error ? error : new Error(String(error));
      response = {
        type: 'error',
        payload: { type: err.name === 'Error' ? 'RuntimeError' : err.name, message: err.message },
      };
    }
  }
  reply(socket, response);
}

function reply(socket: Socket, response: { type: string; payload: unknown }): void {
  if (socket.destroyed) return;
  socket.end(`${JSON.stringify(response)}\n`);
}
