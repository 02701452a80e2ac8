import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Buckets in seconds, from sub-millisecond cache hits to the 2 s gRPC deadline and beyond.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

/**
 * One registry per service instance (not prom-client's global one), so several services can run
 * in one test process without clashing metric names.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly grpcDuration: Histogram<'method' | 'code'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP requests handled by this service',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.grpcDuration = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Duration of gRPC calls handled by this service',
      labelNames: ['method', 'code'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** A counter in this registry; asking twice for one name returns the same counter (e.g. two routers sharing a metric). */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing instanceof Counter) return existing;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A latency histogram in this registry; like counter(), one per name. */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing instanceof Histogram) return existing;
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }
}
