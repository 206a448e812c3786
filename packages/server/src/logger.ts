import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

// pino-pretty is loaded when a pretty logger is made only: a collector logging JSON lines (a service,
// a container) does not load it (on its own it adds ~2 MB resident). `require` because
// createLogger is synchronous and pino-pretty is a CommonJS module.
const require = createRequire(import.meta.url);
const loadPretty = (): typeof PinoPretty => require('pino-pretty');

export type { Logger };

export interface LoggerOptions {
  level?: string;
  name?: string;
  /**
   * One short, coloured line per entry for a person at a terminal (pino-pretty) instead of JSON lines
   * for a log collector. `sightline start` turns it on when stdout is a TTY.
   */
  pretty?: boolean;
  /** Where pretty lines go (default stdout). */
  destination?: NodeJS.WritableStream;
}

/** The server's structured logger: JSON lines on stdout (or pretty lines), level from SIGHTLINE_LOG_LEVEL (default info). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    name: options.name ?? 'sightline',
    level: options.level ?? process.env.SIGHTLINE_LOG_LEVEL ?? 'info',
    redact: { paths: ['req.headers.authorization'], remove: true },
  };
  if (!options.pretty) return pino(settings);
  const pretty = loadPretty();
  return pino(
    settings,
    pretty({
      colorize: !options.destination,
      ignore: 'pid,hostname,name',
      translateTime: 'HH:MM:ss',
      singleLine: true,
      ...(options.destination ? { destination: options.destination, sync: true } : {}),
    }),
  );
}
