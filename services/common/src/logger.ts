/** JSON logs to stdout, one object per line, with the service name on every line (DESIGN § 6). */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

import type { LogLevel } from './log-levels';

export { LOG_LEVELS, type LogLevel } from './log-levels';

export interface LoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  /** Extra fields on every line, e.g. the instance name. */
  readonly bindings?: Readonly<Record<string, string>>;
  /** @default stdout: tests pass a stream to read what was logged */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, ...options.bindings },
      // ISO time and the level by name: readable by people and by every log pipeline alike.
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous writes: a controller logs a few lines a second, and nothing is lost when it exits.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
