// The dev gateway (scripts/dev/gateway) in a process of its own, as `pnpm dev` runs it, so its CPU
// and memory are its own and not the load generator's. Configured by the bench through BENCH_*.
import { startGateway } from '../../../scripts/dev/gateway/gateway.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const gateway = await startGateway({
  port: Number(required('BENCH_GATEWAY_PORT')),
  host: '127.0.0.1',
  spa: 'placeholder',
  emulatorHost: required('BENCH_EMULATOR_HOST'),
  servicePorts: JSON.parse(required('BENCH_SERVICE_PORTS')) as Record<string, number>,
});
process.stdout.write(`gateway listening on ${gateway.url}\n`);
process.once('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
