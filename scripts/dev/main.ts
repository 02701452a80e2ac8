// `pnpm dev`: the whole app at http://localhost:8080 with nothing but Node. Starts the Firebase
// Auth emulator, every service (in-memory adapters unless MYSQL_URL / REDIS_URL / NATS_URL are
// set, in the environment or in .env) and the dev gateway, with combined readable logs and one line
// per trace (or spans to OTEL_EXPORTER_OTLP_ENDPOINT when set); Ctrl-C stops everything.
//
// package.json runs this with `node --import tsx`, not the `tsx` CLI: the CLI relays Ctrl-C to its
// child and SIGKILLs it when no acknowledgement comes within ~30 ms (tsx's relaySignals), which on
// a busy machine killed this runner before it could stop the services it had started.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_URL_KEYS, serverUrls } from './adapters.js';
import { formatLine } from './log-format.js';
import { portsFromEnv } from './ports.js';
import { REPO_ROOT, startStack } from './stack.js';
import { shutdownTelemetry } from '@testbed/service-kit/telemetry';
import { startTelemetry } from '@testbed/service-kit/telemetry/sdk';
import { describeTraces, startTraceSummary, traceEnv, wantsTraceSummary } from './traces.js';

const COLOURS = [36, 35, 34, 32, 33, 96, 95];
const useColour = Boolean(process.stdout.isTTY);
const sourceColours = new Map<string, number>();
let stopping = false;

function print(source: string, line: string): void {
  if (!sourceColours.has(source)) sourceColours.set(source, COLOURS[sourceColours.size % COLOURS.length] ?? 36);
  process.stdout.write(`${formatLine(source, sourceColours.get(source) ?? 36, line, useColour)}\n`);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const envFile = join(REPO_ROOT, '.env');
  // Variables already set in the shell win over .env.
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const ports = portsFromEnv(process.env);
  // Without an OTLP endpoint, spans come here and become one line per request in this log.
  const traceSummary = wantsTraceSummary(process.env) ? await startTraceSummary(ports.traces, (line) => print('traces', line)) : undefined;
  const traces = describeTraces(process.env, traceSummary?.url);
  // The runner is the composition root of every process it starts: the services inherit these
  // variables, and the SDK below (the dev gateway's spans, which start each request's trace) reads them.
  Object.assign(process.env, traceEnv(process.env, traceSummary?.url));
  startTelemetry({ serviceName: 'gateway', instrumentations: false });

  const abort = new AbortController();
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    print('dev', 'stopping…');
    abort.abort();
    await stackReady.then((stack) => stack.stop()).catch(() => {});
    await shutdownTelemetry();
    await traceSummary?.close();
    print('dev', 'stopped');
    process.exit(code);
  };
  // `on`, not `once`: a Ctrl-C reaches this process twice (from the terminal's process group and
  // relayed by pnpm/tsx), and a second SIGINT without a listener would kill it mid-stop.
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const stackReady = startStack({
    ports,
    adapters: 'real',
    spa: 'vite',
    log: print,
    signal: abort.signal,
    onUnexpectedExit: (name) => {
      print('dev', `${name} is gone, so the stack is incomplete; stopping everything`);
      void stop(1);
    },
  });
  const stack = await stackReady;

  const configuredHost = process.env['GATEWAY_HOST'];
  // Loopback and all-interfaces bindings are both reachable as localhost.
  const host = !configuredHost || ['127.0.0.1', '0.0.0.0', '::'].includes(configuredHost) ? 'localhost' : configuredHost;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const urls = serverUrls('real', process.env);
  const partial = Object.keys(urls).length > 0 && !SERVER_URL_KEYS.every((key) => key in urls);
  const skipped = partial ? ' (event-consumer keeps the feed and stats in memory: it uses MySQL, Redis and NATS only when all three are set)' : '';
  process.stdout.write(
    [
      '',
      `testbed is up in ${seconds}s: http://${host}:${stack.ports.gateway}`,
      `  /            ${stack.spa}`,
      `  adapters     ${stack.adapters}`,
      `  services     ${stack.services.join(', ')}${skipped}`,
      `  auth         Firebase Auth emulator at http://${stack.emulatorHost} (project demo-testbed), also under the URL above`,
      `  traces       ${traces}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  // Ctrl-C during start-up also lands here; stop() reports and exits.
  if (stopping) return;
  process.stderr.write(`\npnpm dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
