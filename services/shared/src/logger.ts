import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { activeTraceIds } from './telemetry/context.js';

export type { Logger } from 'pino';

/**
 * One logger per process; modules take children of it. Tokens, cookies and bodies are never logged.
 * A line written inside a traced span carries its `trace_id` and `span_id` (the OpenTelemetry log
 * data model's names), so a log search leads to the trace and back. Log errors as `{ err }`: pino's
 * serializer keeps the type, stack and cause chain that a message string would lose.
 */
export function createLogger(options: {
  service: string;
  level: LevelWithSilent;
  /** Where the JSON lines go; default stdout. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}): Logger {
  const settings = {
    name: options.service,
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: activeTraceIds,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.idToken', '*.id_token', '*.password'],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * Keeps a process alive when the reader of its stdout or stderr goes away (EPIPE): a dead log
 * shipper must not turn a SIGTERM into a crash halfway through shutdown. pino's own destination
 * already drops lines after EPIPE; this covers everything else that writes to the console
 * (libraries' warnings, Node's own), whose EPIPE would otherwise be an uncaught 'error' event.
 * Other stream errors still throw.
 */
export function survivesBrokenStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listeners('error').includes(ignoreBrokenPipe)) continue;
    stream.on('error', ignoreBrokenPipe);
  }
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
