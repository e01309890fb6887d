/** Structured logs: JSON lines to `<data-dir>/logs/manager.log`, and warnings+ to stderr. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';

export interface ManagerLogger {
  logger: Logger;
  /** Flushes and closes the log file. */
  close: () => void;
}

export function createManagerLogger(options: { file: string; level: string; stderr: boolean }): ManagerLogger {
  mkdirSync(dirname(options.file), { recursive: true });
  const file = pino.destination({ dest: options.file, sync: true, append: true });
  const streams: pino.StreamEntry[] = [{ level: options.level as pino.Level, stream: file }];
  if (options.stderr) streams.push({ level: 'warn', stream: process.stderr });
  const logger = pino(
    { level: options.level, base: { service: 'rekindle-manager' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
  return {
    logger,
    close: () => {
      file.flushSync();
      file.end();
    },
  };
}
