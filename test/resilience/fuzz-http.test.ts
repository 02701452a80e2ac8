// At least 1,000 fuzz cases per OpenAPI operation of both documents, directly and through the dev
// gateway (the suite itself: test/fuzz/http-suite.ts). Each run draws a new seed; a failure prints
// it with the shrunk case, to replay with FUZZ_SEED.
import { defineHttpFuzzSuite } from '../fuzz/http-suite.js';

const seed = process.env['FUZZ_SEED'];
defineHttpFuzzSuite({ numRuns: 1_000, ...(seed ? { seed: Number(seed) } : {}), timeoutMs: 1_800_000 });
