// A few seeded garbage gRPC and grpc-web calls in `pnpm test`; `pnpm test:resilience` sends 1,000
// of each (test/resilience/fuzz-grpc.test.ts).
import { defineGrpcFuzzSuite } from './grpc-suite.js';

defineGrpcFuzzSuite({ numRuns: 100, seed: 20_261_201, timeoutMs: 300_000 });
