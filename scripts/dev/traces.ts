// Where `pnpm dev` sends the services' spans. The services read the standard OTEL_* variables
// themselves (OpenTelemetry's SDK); this only picks the defaults for a laptop and says them.

/**
 * The OTEL_* defaults for the services `pnpm dev` starts: with OTEL_EXPORTER_OTLP_ENDPOINT set,
 * spans go there (the SDK's default exporter is OTLP); without it, nothing is recorded or exported
 * (`OTEL_TRACES_EXPORTER=none`: the SDK installs no tracer provider, so log lines carry no
 * `trace_id`/`span_id` either) rather than failing to reach a collector that is not running.
 * Variables already set win.
 */
export function traceEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env['OTEL_TRACES_EXPORTER'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return {};
  return { OTEL_TRACES_EXPORTER: 'none' };
}

/** One line for the start-up summary: where the traces go. */
export function describeTraces(env: NodeJS.ProcessEnv): string {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return 'off (OTEL_SDK_DISABLED=true)';
  const exporter = env['OTEL_TRACES_EXPORTER'] ?? traceEnv(env)['OTEL_TRACES_EXPORTER'] ?? 'otlp';
  if (exporter === 'none') {
    return 'not recorded (set OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:4318, to send spans to a collector or Jaeger, or OTEL_TRACES_EXPORTER=console to print them)';
  }
  if (exporter === 'console') return 'printed by each service (OTEL_TRACES_EXPORTER=console)';
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? 'http://localhost:4318';
  return `OTLP to ${endpoint} (OTEL_TRACES_EXPORTER=${exporter})`;
}
