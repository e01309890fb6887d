/**
 * `cfy cloud start|status|crash`: run the local cloud (OpenStack API subset whose servers are
 * processes) in the foreground, show its servers, and crash one the way a VM dies.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { OperationalError, UserError } from '../../core/index.js';
import {
  LocalCloud,
  isLoopback,
  readEndpointFile,
  type CloudStatusView,
  type ServerStatusView,
} from '../../cloud/index.js';
import type { Output } from '../output.js';

const DEFAULT_DATA_DIR = '.rekindle/cloud';

interface TargetOptions {
  dataDir: string;
  url?: string;
  json?: boolean;
}

/** The URL of a running cloud: `--url`, else `<data-dir>/endpoint.json`. Loopback only. */
function cloudUrl(options: TargetOptions): string {
  const url = options.url ?? readEndpointFile(resolve(options.dataDir))?.url;
  if (!url) {
    throw new UserError(
      'cloud_not_running',
      `No local cloud is running for ${resolve(options.dataDir)}`,
      {
        hints: [
          'Start one with `cfy cloud start --data-dir <dir>`, or pass --url http://127.0.0.1:<port>',
        ],
      },
    );
  }
  const host = new URL(url).hostname;
  if (!isLoopback(host))
    throw new UserError(
      'cloud_url_not_loopback',
      `The cloud URL ${url} is not a 127.0.0.0/8 address`,
      { hints: ['The local cloud only listens on loopback addresses'] },
    );
  return url;
}

async function admin<T>(options: TargetOptions, method: 'GET' | 'POST', path: string): Promise<T> {
  const url = cloudUrl(options);
  let response: Response;
  try {
    response = await fetch(`${url}/rekindle-admin${path}`, { method });
  } catch (cause) {
    throw new OperationalError('cloud_unreachable', `The local cloud at ${url} does not answer`, {
      cause,
      hints: ['Is `cfy cloud start` still running?'],
    });
  }
  const body = (await response.json()) as Record<string, { message?: string }>;
  if (!response.ok) {
    const message = Object.values(body)[0]?.message ?? `HTTP ${response.status}`;
    throw new UserError(
      response.status === 404 ? 'cloud_server_not_found' : 'cloud_request_failed',
      message,
      { httpStatus: response.status },
    );
  }
  return body as T;
}

function serverRows(servers: ServerStatusView[]): unknown[][] {
  return servers.map((s) => [
    s.id,
    s.name,
    s.status,
    s.task_state ?? '',
    s.image,
    s.pid ?? '',
    s.fixed_ips.join(','),
    s.floating_ips.join(','),
  ]);
}

export function registerCloudCommands(program: Command, output: Output): void {
  const group = program
    .command('cloud')
    .description('Run and inspect the local cloud (OpenStack API subset; servers are processes)');

  group
    .command('start')
    .description(
      'Run the local cloud in the foreground until Ctrl-C (servers keep running after it stops)',
    )
    .option('--data-dir <dir>', 'folder for the cloud state and server folders', DEFAULT_DATA_DIR)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 = any free port)', (v) => Number(v), 8774)
    .option('--config <file>', 'cloud.json to read instead of <data-dir>/cloud.json')
    .option(
      '--manager-command <command>',
      'boot command of the rekindle-manager image (else REKINDLE_MANAGER_IMAGE_COMMAND)',
    )
    .action(
      async (options: {
        dataDir: string;
        host: string;
        port: number;
        config?: string;
        managerCommand?: string;
      }) => {
        const cloud = await LocalCloud.start(
          {
            dataDir: options.dataDir,
            host: options.host,
            port: options.port,
            ...(options.config ? { configFile: options.config } : {}),
            ...(options.managerCommand ? { managerImageCommand: options.managerCommand } : {}),
          },
          { info: (m) => output.info(m), warn: (m) => output.warn(m) },
        );
        output.info(
          `Identity (auth_url): ${cloud.urls.identity}   compute: ${cloud.urls.compute}   network: ${cloud.urls.network}`,
        );
        output.info(
          `Users: ${cloud.config.users.map((u) => `${u.name}/${u.password} (project ${u.project})`).join(', ')}. Press Ctrl-C to stop.`,
        );
        await new Promise<void>((done) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            done();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await cloud.close();
        output.info(
          'Local cloud stopped; running servers keep running and are re-adopted at the next start.',
        );
      },
    );

  group
    .command('status')
    .description('Show the servers of a running local cloud and its floating-IP forwarding')
    .option('--data-dir <dir>', 'data folder of the cloud', DEFAULT_DATA_DIR)
    .option('--url <url>', 'URL of the cloud (instead of reading <data-dir>/endpoint.json)')
    .option('--json', 'print JSON')
    .action(async (options: TargetOptions) => {
      const status = await admin<CloudStatusView>(options, 'GET', '/status');
      if (options.json) return output.json(status);
      output.info(`Local cloud ${status.url} (pid ${status.pid}), data in ${status.data_dir}`);
      output.table(
        'Servers:',
        ['id', 'name', 'status', 'task', 'image', 'pid', 'fixed ips', 'floating ips'],
        serverRows(status.servers),
      );
      output.table(
        'Floating-IP forwarding:',
        ['floating ip', 'port', 'to', 'listening', 'error'],
        status.forwarding.map((f) => [f.floatingIp, f.port, f.fixedIp, f.listening, f.error ?? '']),
      );
    });

  group
    .command('crash <server>')
    .description(
      "Kill a server's processes without any API call, the way a VM dies (ports and floating IPs stay)",
    )
    .option('--data-dir <dir>', 'data folder of the cloud', DEFAULT_DATA_DIR)
    .option('--url <url>', 'URL of the cloud (instead of reading <data-dir>/endpoint.json)')
    .option('--json', 'print JSON')
    .action(async (server: string, options: TargetOptions) => {
      const result = await admin<{ server: ServerStatusView }>(
        options,
        'POST',
        `/servers/${encodeURIComponent(server)}/crash`,
      );
      if (options.json) return output.json(result);
      output.info(
        `Server ${result.server.name} (${result.server.id}) crashed: now ${result.server.status}`,
      );
    });
}
