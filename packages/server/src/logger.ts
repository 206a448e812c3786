import pino, { type Logger } from 'pino';

export type { Logger };

/** The server's structured logger: JSON lines on stdout, level from SIGHTLINE_LOG_LEVEL (default info). */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'sightline',
    level: options.level ?? process.env.SIGHTLINE_LOG_LEVEL ?? 'info',
    redact: { paths: ['req.headers.authorization'], remove: true },
  });
}
