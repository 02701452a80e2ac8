// Where `pnpm dev` sends the spans of its processes. The services (and the runner, for the dev
// gateway's spans) read the standard OTEL_* variables themselves (OpenTelemetry's SDK); this only
// picks the defaults for a laptop, says them, and runs the console summary.
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';
import { PORT_ENV, PortsInUseError } from './ports.js';
import { TraceGrouper, formatTraceSummary, isRequestTrace, summarizeTrace } from './trace-summary.js';

const disabled = (env: NodeJS.ProcessEnv) => env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
const configured = (env: NodeJS.ProcessEnv) =>
  Boolean(env['OTEL_TRACES_EXPORTER'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);

/** Whether `pnpm dev` should print the console summary: tracing is on and nobody said where spans go. */
export function wantsTraceSummary(env: NodeJS.ProcessEnv): boolean {
  return !disabled(env) && !configured(env);
}

/**
 * The OTEL_* defaults for the processes of a local stack. Variables already set win: with an
 * exporter or an OTLP endpoint configured, or the SDK disabled, nothing is added. Otherwise, with
 * `summaryUrl` (the console summary's receiver, see startTraceSummary), spans go there as OTLP/JSON,
 * exported every half second so a request's line follows it closely; without it (tests that start a
 * stack), nothing is recorded (`OTEL_TRACES_EXPORTER=none`: no tracer provider, so log lines carry
 * no `trace_id`/`span_id` either) rather than failing to reach a collector that is not running.
 */
export function traceEnv(env: NodeJS.ProcessEnv, summaryUrl?: string): Record<string, string> {
  if (!wantsTraceSummary(env)) return {};
  if (!summaryUrl) return { OTEL_TRACES_EXPORTER: 'none' };
  return {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: summaryUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    ...(env['OTEL_BSP_SCHEDULE_DELAY'] ? {} : { OTEL_BSP_SCHEDULE_DELAY: '500' }),
  };
}

/** One line for the start-up summary: where the traces go (`summaryUrl` as given to traceEnv). */
export function describeTraces(env: NodeJS.ProcessEnv, summaryUrl?: string): string {
  if (disabled(env)) return 'off (OTEL_SDK_DISABLED=true)';
  if (wantsTraceSummary(env)) {
    return summaryUrl
      ? `one line per request in this log ("traces"; OTLP receiver on ${summaryUrl}); set OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:4318, to send them to Jaeger or a collector instead`
      : 'not recorded (set OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:4318, to send spans to a collector or Jaeger)';
  }
  const exporter = env['OTEL_TRACES_EXPORTER'] || 'otlp';
  if (exporter === 'none') return 'not recorded (OTEL_TRACES_EXPORTER=none)';
  if (exporter === 'console') return 'printed by each service (OTEL_TRACES_EXPORTER=console)';
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || 'http://localhost:4318';
  return `OTLP to ${endpoint} (OTEL_TRACES_EXPORTER=${exporter})`;
}

/**
 * The console summary: an OTLP/HTTP receiver on 127.0.0.1:`port` whose spans are grouped by trace
 * (TraceGrouper) and printed as one `print`ed line per request or delivered event
 * (formatTraceSummary); background traces (start-up migrations and the like) are left out. Its
 * close() stops receiving and prints the traces still held. Rejects with a PortsInUseError naming
 * TRACE_RECEIVER_PORT when the port is taken.
 */
export async function startTraceSummary(port: number, print: (line: string) => void): Promise<OtlpReceiver> {
  const grouper = new TraceGrouper((spans) => {
    const summary = isRequestTrace(spans) ? summarizeTrace(spans) : undefined;
    if (summary) print(formatTraceSummary(summary));
  });
  try {
    const receiver = await startOtlpReceiver({ port, onSpans: (spans) => grouper.add(spans) });
    return {
      ...receiver,
      async close() {
        await receiver.close();
        grouper.flush();
      },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortsInUseError([{ port, owner: 'trace receiver', env: PORT_ENV.traces }]);
    throw error;
  }
}
