// The gRPC fuzz suite, defined once and run at two sizes like the HTTP one (test/fuzz/http-suite.ts):
// raw gRPC to auth-service's port and grpc-web through the dev gateway.
import { credentials, Metadata } from '@grpc/grpc-js';
import { AuthServiceClient, type VerifyTokenResponse } from '@testbed/protos/auth/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFuzzStack, type FuzzStack } from './fuzz-stack.js';
import { fuzzGrpc, fuzzGrpcWeb } from './grpc-property.js';

export interface GrpcFuzzSuiteOptions {
  readonly numRuns: number;
  readonly seed?: number;
  readonly timeoutMs: number;
}

/** An ordinary VerifyToken call with a good token: what must still work after the garbage. */
function verify(address: string, token: string): Promise<VerifyTokenResponse> {
  const client = new AuthServiceClient(address, credentials.createInsecure());
  return new Promise<VerifyTokenResponse>((resolve, reject) =>
    client.verifyToken({ idToken: token, checkRevoked: false }, new Metadata(), { deadline: Date.now() + 30_000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  ).finally(() => client.close());
}

export function defineGrpcFuzzSuite(options: GrpcFuzzSuiteOptions): void {
  describe(`auth-service, fuzzed (${options.numRuns} cases each)`, () => {
    let fuzz: FuzzStack;
    const seed = options.seed === undefined ? {} : { seed: options.seed };

    beforeAll(async () => {
      fuzz = await startFuzzStack();
    }, 180_000);
    afterAll(async () => {
      await fuzz?.stop();
    }, 60_000);

    it(
      'when garbage, near-miss and oversize gRPC calls reach its port, then each ends with a status that blames the request and the service keeps serving',
      async () => {
        await fuzz.tokens.refresh();
        const statuses = await fuzzGrpc(fuzz.direct.authGrpc, fuzz.tokens, { numRuns: options.numRuns, ...seed, brokenBecause: () => fuzz.brokenBecause() });
        console.info(`gRPC: ${JSON.stringify(statuses)}`);
        expect(statuses['OK'] ?? 0, 'some cases were valid calls').toBeGreaterThan(0);
        expect((await verify(fuzz.direct.authGrpc, fuzz.tokens.validToken())).session?.uid).toBeTruthy();
        expect(fuzz.brokenBecause()).toBeUndefined();
      },
      options.timeoutMs,
    );

    it(
      'when garbage, near-miss and oversize grpc-web calls come through the gateway, then each ends with a gRPC status or a problem, never a server fault',
      async () => {
        await fuzz.tokens.refresh();
        const statuses = await fuzzGrpcWeb(fuzz.stack.url, fuzz.tokens, { numRuns: options.numRuns, ...seed, brokenBecause: () => fuzz.brokenBecause() });
        console.info(`grpc-web: ${JSON.stringify(statuses)}`);
        expect(statuses['OK'] ?? 0, 'some cases were valid calls').toBeGreaterThan(0);
        expect((await verify(fuzz.direct.authGrpc, fuzz.tokens.validToken())).session?.uid).toBeTruthy();
        expect(fuzz.brokenBecause()).toBeUndefined();
      },
      options.timeoutMs,
    );
  });
}
