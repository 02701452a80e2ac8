import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForUrl } from '../wait.js';
import { startServiceProcess, type ServiceProcess } from './process.js';

/** A real event-consumer in its own process: the owner of the activity feed and stats, serving its read API. */
export interface EventConsumerProcess {
  readonly process: ServiceProcess;
  /** Base URL of its HTTP port, what public-api's READ_MODELS_URL names. */
  readonly address: string;
  /**
   * In its in-memory mode, the event log it follows: producers started with this EVENT_LOG_FILE
   * reach its read models (as in `pnpm dev`). Undefined when `env` gave it servers.
   */
  readonly eventLogFile: string | undefined;
  /** READ_MODELS_URL (and EVENT_LOG_FILE, in memory mode) for a producer that should reach it. */
  readonly producerEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts event-consumer the way `pnpm --filter event-consumer start` does, on a free port; resolves
 * once /readyz answers. Without MYSQL_URL, REDIS_URL and NATS_URL in `env` it runs in memory,
 * following a fresh event log file of its own (removed again by `stop`). Services that read its
 * read models start it this way, so they never import its code, in tests either.
 */
export async function startEventConsumerProcess(env: Record<string, string> = {}): Promise<EventConsumerProcess> {
  const port = await freePort();
  const withServers = Boolean(env['MYSQL_URL'] || env['REDIS_URL'] || env['NATS_URL']);
  const logDir = withServers ? undefined : mkdtempSync(join(tmpdir(), 'testbed-events-'));
  const eventLogFile = logDir ? join(logDir, 'events.jsonl') : undefined;
  if (eventLogFile) writeFileSync(eventLogFile, '');
  const process = startServiceProcess(fileURLToPath(new URL('../../../event-consumer', import.meta.url)), {
    PORT: String(port),
    HOST: '127.0.0.1',
    MYSQL_URL: '',
    REDIS_URL: '',
    NATS_URL: '',
    EVENT_LOG_FILE: eventLogFile ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const address = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await process.stop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await waitForUrl(`${address}/readyz`, { timeoutMs: 30_000, what: 'event-consumer readiness' });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${process.output()}`, { cause: error });
  }
  return { process, address, eventLogFile, producerEnv: { READ_MODELS_URL: address, ...(eventLogFile ? { EVENT_LOG_FILE: eventLogFile } : {}) }, stop };
}
