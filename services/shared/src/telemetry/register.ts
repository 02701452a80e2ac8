// Preloaded with `node --import @testbed/service-kit/telemetry/register` before a service's main
// module, because instrumentations patch libraries as they load: the ESM loader hook must be in
// place before express, mysql2, ioredis or grpc-js are imported. With OTEL_SDK_DISABLED=true
// nothing is registered at all, so tracing off costs nothing.
import { register } from 'node:module';
import { startTelemetry } from './sdk.js';

if (process.env['OTEL_SDK_DISABLED']?.trim().toLowerCase() !== 'true') {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  startTelemetry();
}
