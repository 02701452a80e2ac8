// A few seeded fuzz cases per OpenAPI operation in `pnpm test`; `pnpm test:resilience` runs the
// same suite with 1,000 (test/resilience/fuzz-http.test.ts).
import { defineHttpFuzzSuite } from './http-suite.js';

defineHttpFuzzSuite({ numRuns: 60, seed: 20_261_201, timeoutMs: 300_000 });
