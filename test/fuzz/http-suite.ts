// The HTTP fuzz suite, defined once and run at two sizes: a few seeded cases per operation in
// `pnpm test` (test/fuzz/http-apis.int.test.ts) and at least 1,000 in `pnpm test:resilience`
// (test/resilience/fuzz-http.test.ts). Every operation of the public and secure documents, directly
// and through the dev gateway, and of event-consumer's read API (internal: directly only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzStack, type FuzzStack } from './fuzz-stack.js';
import { fuzzHttpApi, type HttpFuzzTarget } from './http-property.js';
import { fuzzRawHttp } from './raw-http-property.js';

export interface HttpFuzzSuiteOptions {
  readonly numRuns: number;
  readonly seed?: number;
  /** Per target; the cases run one at a time. */
  readonly timeoutMs: number;
}

type TargetName = 'public-api' | 'secure-api' | 'read-models';

export function defineHttpFuzzSuite(options: HttpFuzzSuiteOptions): void {
  describe(`every OpenAPI operation, fuzzed (${options.numRuns} cases each)`, () => {
    let fuzz: FuzzStack;

    beforeAll(async () => {
      fuzz = await startFuzzStack();
    }, 180_000);
    afterAll(async () => {
      await fuzz?.stop();
    }, 60_000);

    const byService = (service: TargetName) =>
      ({
        'public-api': { origin: fuzz.direct.publicApi, document: fuzz.documents.publicApi, minOperations: 6 },
        'secure-api': { origin: fuzz.direct.secureApi, document: fuzz.documents.secureApi, minOperations: 5 },
        'read-models': { origin: fuzz.direct.readModels, document: fuzz.documents.readModels, minOperations: 3 },
      })[service];
    const target = (service: TargetName, via: 'direct' | 'gateway'): HttpFuzzTarget => ({
      name: `${service} ${via === 'direct' ? 'directly' : 'through the dev gateway'}`,
      origin: via === 'gateway' ? fuzz.stack.url : byService(service).origin,
      document: byService(service).document,
      tokens: fuzz.tokens,
      brokenBecause: () => fuzz.brokenBecause(),
    });

    const targets = [
      ['public-api', 'direct'],
      ['public-api', 'gateway'],
      ['secure-api', 'direct'],
      ['secure-api', 'gateway'],
      ['read-models', 'direct'],
    ] as const;
    for (const [service, via] of targets) {
      it(
        `when ${service} gets arbitrary and near-miss requests ${via === 'direct' ? 'directly' : 'through the gateway'}, then no answer is a 5xx, every error is a problem and every status is documented`,
        async () => {
          const report = await fuzzHttpApi(target(service, via), {
            numRuns: options.numRuns,
            ...(options.seed === undefined ? {} : { seed: options.seed }),
            beforeOperation: () => fuzz.tokens.refresh(),
          });
          const operations = Object.keys(report.casesPerOperation);
          // The document is read from the service: it must still list what the services serve.
          expect(operations.length).toBeGreaterThanOrEqual(byService(service).minOperations);
          for (const cases of Object.values(report.casesPerOperation)) expect(cases).toBeGreaterThanOrEqual(options.numRuns);
          // The cases reached the routes' own code, not only the shared refusals.
          expect(
            Object.keys(report.statuses)
              .map(Number)
              .some((status) => status < 300),
          ).toBe(true);
          expect(fuzz.brokenBecause()).toBeUndefined();
          console.info(`${service} ${via}: ${JSON.stringify(report)}`);
        },
        options.timeoutMs,
      );
    }

    for (const via of ['dev gateway', 'public-api', 'secure-api'] as const) {
      it(
        `when raw garbage and oversize requests reach the ${via}, then no answer is a 5xx, every error is a problem, and it keeps serving`,
        async () => {
          const port = via === 'dev gateway' ? fuzz.stack.ports.gateway : via === 'public-api' ? fuzz.stack.ports.publicApi : fuzz.stack.ports.secureApi;
          const statuses = await fuzzRawHttp(
            { name: via, port, brokenBecause: () => fuzz.brokenBecause() },
            { numRuns: options.numRuns, ...(options.seed === undefined ? {} : { seed: options.seed }) },
          );
          console.info(`raw ${via}: ${JSON.stringify(statuses)}`);
          const health = via === 'secure-api' ? `http://127.0.0.1:${port}/healthz` : `http://127.0.0.1:${port}/api/public/healthz`;
          expect((await fetch(health)).status).toBe(200);
          expect(fuzz.brokenBecause()).toBeUndefined();
        },
        options.timeoutMs,
      );
    }
  });
}
