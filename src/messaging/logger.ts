/** The pino logger type used across messaging and the agent, and a silent default. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

/** A logger that writes nothing (the default when none is given). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
