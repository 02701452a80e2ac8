import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** One logger per process; modules take children of it. Tokens, cookies and bodies are never logged. */
export function createLogger(options: { service: string; level: LevelWithSilent }): Logger {
  return pino({
    name: options.service,
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.idToken',
        '*.id_token',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}
