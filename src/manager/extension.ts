/**
 * Parts of the manager started once its store is open and stopped before it closes (the agents'
 * messaging is one): extra `/api/v2` routes, the broker status probe, a close hook.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { CompiledManagerConfig } from './config.js';
import type { ManagerServices } from './services/index.js';

/** What an extension gets when the manager starts it. */
export interface ManagerExtensionContext {
  config: CompiledManagerConfig;
  services: ManagerServices;
  logger: FastifyBaseLogger;
}

/** A started extension. */
export interface StartedManagerExtension {
  /** Registers routes under `/api/v2`. */
  routes?: (api: FastifyInstance) => void;
  /** State of the message broker for `GET /status` (used when the deps give none). */
  brokerProbe?: () => Promise<'running' | 'failed' | 'unknown'>;
  /** Called by `close()`, after executions stopped and before storage closes. */
  close(): Promise<void>;
}

/** Something the manager starts with itself. */
export interface ManagerExtension {
  start(context: ManagerExtensionContext): Promise<StartedManagerExtension>;
}
