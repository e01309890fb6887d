/**
 * The composition root: `createManager(options, deps)` builds the fastify app with every route,
 * the auth hook and the one error handler, opens storage, creates the admin user on first
 * start and reconciles executions a previous process left running.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { ensureAdminUser, type AdminBootstrapResult } from './auth/admin.js';
import { installAuth } from './auth/authenticate.js';
import { compileManagerConfig, type CompiledManagerConfig, type ManagerOptions } from './config.js';
import { installContentTypes } from './http/content-type.js';
import { installErrorHandler } from './http/error-handler.js';
import { OneLineRequestLog } from './http/request-log.js';
import type { ManagerExtension, StartedManagerExtension } from './extension.js';
import { createManagerLogger } from './logger.js';
import { blueprintRoutes } from './routes/blueprints.js';
import { deploymentRoutes } from './routes/deployments.js';
import { eventRoutes } from './routes/events.js';
import { executionRoutes } from './routes/executions.js';
import { nodeRoutes } from './routes/nodes.js';
import { systemRoutes, type StatusProbe, type VersionInfo } from './routes/system.js';
import { snapshotsPlugin } from './routes/snapshots-plugin.js';
import { BlueprintFiles } from './services/blueprint-files.js';
import { EventBatcher } from './services/event-batcher.js';
import { createServices, type ManagerServices } from './services/index.js';
import type { BlueprintParserPort, DeploymentPlannerPort, WorkflowRunnerPort } from './services/ports.js';
import type { ManagerStorePort } from './store/port.js';
import { isWebUiRequest, serveWebUi } from '../web/index.js';

/** Adapters the manager is built from; wiring.ts provides the real ones. */
export interface ManagerDeps {
  /** Opens the store (called once, with the compiled config). */
  openStore: (config: CompiledManagerConfig) => Promise<ManagerStorePort>;
  parser: BlueprintParserPort;
  planner: DeploymentPlannerPort;
  runner: WorkflowRunnerPort;
  /** State of the message broker for `GET /status`. */
  brokerProbe?: () => Promise<'running' | 'failed' | 'unknown'>;
  /** Started after the store opens, closed before it closes (the agents' messaging). */
  extensions?: ManagerExtension[];
  /** Where the generated admin password is announced. @default stderr */
  announce?: (message: string) => void;
  now?: () => Date;
}

export interface Manager {
  app: FastifyInstance;
  config: CompiledManagerConfig;
  services: ManagerServices;
  admin: AdminBootstrapResult;
  /** Execution ids failed by start-up reconciliation. */
  reconciled: string[];
  /** Starts listening; resolves with the URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, stops executions, flushes events, closes storage. Idempotent. */
  close(): Promise<void>;
}

function versionInfo(): VersionInfo {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const info: VersionInfo = { version: pkg.version, build: process.env.REKINDLE_BUILD ?? 'source', date: new Date().toISOString() };
  if (process.env.REKINDLE_COMMIT) info.commit = process.env.REKINDLE_COMMIT;
  return info;
}

/** Builds a manager (not yet listening). */
export async function createManager(options: ManagerOptions, deps: ManagerDeps): Promise<Manager> {
  const config = compileManagerConfig(options);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const { logger, close: closeLog } = createManagerLogger({ file: config.logFile, level: config.logLevel, stderr: config.logToStderr });
  const now = deps.now ?? (() => new Date());
  const store = await deps.openStore(config);
  const events = new EventBatcher({
    write: (docs) => store.events.append(docs),
    onError: (err, count) => logger.error({ err, count }, 'could not store events'),
  });
  const services = createServices(
    {
      store,
      files: new BlueprintFiles(config.dataDir, { maxBytes: config.maxExtractedBytes, maxEntries: config.maxArchiveEntries }),
      parser: deps.parser,
      planner: deps.planner,
      runner: deps.runner,
      events,
      now,
      log: logger,
      maxParallelExecutions: config.maxParallelExecutions,
    },
    { closeGraceMs: config.closeGraceMs },
  );
  const app = fastify({
    loggerInstance: logger,
    logController: new OneLineRequestLog(),
    bodyLimit: 1024 * 1024,
    ...(config.tls ? { https: { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } } : {}),
  }) as unknown as FastifyInstance;
  const extensions: StartedManagerExtension[] = [];
  try {
    for (const extension of deps.extensions ?? []) extensions.push(await extension.start({ config, services, logger }));
  } catch (error) {
    for (const started of extensions.reverse()) await started.close().catch(() => undefined);
    await store.close();
    closeLog();
    throw error;
  }
  const brokerProbe = deps.brokerProbe ?? extensions.find((e) => e.brokerProbe)?.brokerProbe;
  let closing = false;
  const probes: StatusProbe[] = [
    { display_name: 'REST service', probe: () => Promise.resolve(closing ? 'failed' : 'running') },
    { display_name: 'Storage', probe: async () => ((await store.users.count()) >= 0 ? 'running' : 'failed') },
    { display_name: 'Message broker', probe: brokerProbe ?? (() => Promise.resolve('unknown')) },
    { display_name: 'Workflow executor', probe: () => Promise.resolve(closing ? 'failed' : 'running') },
  ];
  installErrorHandler(app);
  installContentTypes(app);
  installAuth(app, store, now, isWebUiRequest);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Rekindle manager REST API', version: versionInfo().version, description: 'Cloudify 3.3 compatible (v2)' },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          token: { type: 'apiKey', in: 'header', name: 'Authentication-Token' },
        },
      },
      security: [{ basic: [] }, { token: [] }],
    },
  });
  const version = versionInfo();
  await app.register(snapshotsPlugin, { services, config, version: version.version });
  await app.register(
    (api, _opts, done) => {
      blueprintRoutes(api, services, config.maxUploadBytes);
      deploymentRoutes(api, services);
      nodeRoutes(api, services);
      executionRoutes(api, services);
      eventRoutes(api, services);
      systemRoutes(api, services, { version, probes, tokenTtlMs: config.tokenTtlMs });
      for (const extension of extensions) extension.routes?.(api);
      api.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
      done();
    },
    { prefix: '/api/v2' },
  );
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  await app.register(serveWebUi); // the browser UI at / (docs/web.md)
  await app.ready();

  let admin: AdminBootstrapResult;
  let reconciled: string[];
  try {
    admin = await ensureAdminUser(store, {
      dataDir: config.dataDir,
      passwordFile: config.adminPasswordFile,
      envPassword: config.adminPassword,
      now,
      announce: deps.announce ?? ((m) => process.stderr.write(`${m}\n`)),
    });
    reconciled = await services.executions.reconcile();
    if (reconciled.length > 0) logger.warn({ executions: reconciled }, 'failed executions interrupted by a restart');
  } catch (error) {
    await app.close();
    for (const started of extensions) await started.close().catch(() => undefined);
    await store.close();
    closeLog();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    app,
    config,
    services,
    admin,
    reconciled,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const url = `${config.tls ? 'https' : 'http'}://${config.host}:${port}`;
      logger.info({ url }, 'manager listening');
      return url;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        await app.close();
        await services.executions.close();
        for (const started of extensions) await started.close().catch((err: unknown) => logger.error({ err }, 'could not stop a manager extension'));
        await events.close();
        await store.close();
        logger.info('manager stopped');
        closeLog();
      })();
      return closed;
    },
  };
}
