/** `ctx.logger`: writes `cloudify_log` documents, with the operation's context, to an event sink. */
import {
  cloudifyTimestamp,
  type Clock,
  type EventContext,
  type LogDocument,
  type LogLevel,
} from '../../core/index.js';
import type { EventSinkPort } from '../../engine/ports.js';

/** The logger an operation writes to. */
export interface OperationLogger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** Builds a logger whose documents carry `context` (deployment, node instance, task...). */
export function createOperationLogger(
  sink: EventSinkPort,
  context: EventContext,
  clock: Clock,
): OperationLogger {
  const log = (level: LogLevel, message: string): void => {
    const document: LogDocument = {
      type: 'cloudify_log',
      logger: 'ctx',
      level,
      timestamp: cloudifyTimestamp(new Date(clock.now())),
      context,
      message: { text: String(message) },
    };
    sink.emit(document);
  };
  return {
    debug: (message) => log('debug', message),
    info: (message) => log('info', message),
    warning: (message) => log('warning', message),
    error: (message) => log('error', message),
  };
}
