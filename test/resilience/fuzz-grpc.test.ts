// 1,000 garbage, near-miss and oversize gRPC calls to auth-service and 1,000 grpc-web calls
// through the dev gateway (the suite: test/fuzz/grpc-suite.ts). Replay a failure with FUZZ_SEED.
import { defineGrpcFuzzSuite } from '../fuzz/grpc-suite.js';

const seed = process.env['FUZZ_SEED'];
defineGrpcFuzzSuite({ numRuns: 1_000, ...(seed ? { seed: Number(seed) } : {}), timeoutMs: 1_800_000 });
