import { credentials, Metadata } from '@grpc/grpc-js';
import { AuthServiceClient, type VerifyTokenResponse } from '@testbed/protos/auth/v1';
import { callLoad } from '../load/call-load.js';
import type { BenchContext, Scenario, Target } from '../scenario.js';

const DEADLINE_MS = 10_000;

function verifyTarget(description: string, addressOf: (ctx: BenchContext) => string): Target {
  return {
    description,
    run: async (ctx, durationS) => {
      // One channel (one HTTP/2 connection) per run, as a service's client has.
      const client = new AuthServiceClient(addressOf(ctx), credentials.createInsecure());
      const call = () =>
        new Promise<VerifyTokenResponse>((resolve, reject) =>
          client.verifyToken({ idToken: ctx.idToken, checkRevoked: false }, new Metadata(), { deadline: Date.now() + DEADLINE_MS }, (error, response) =>
            error ? reject(error) : resolve(response),
          ),
        );
      try {
        await call();
        return await callLoad(call, { concurrency: ctx.settings.connections, durationS });
      } finally {
        client.close();
      }
    },
  };
}

/** VerifyToken over gRPC with a cached token vs a bare grpc-js server answering a fixed session. */
export const verifyToken: Scenario = {
  id: 'verify-token',
  title: 'VerifyToken over gRPC, cached token',
  concurrency: (settings) => settings.connections,
  product: verifyTarget('auth-service (compiled, Redis cache)', (ctx) => ctx.stack.authGrpcAddr),
  baseline: verifyTarget('bare grpc-js server, same proto, fixed answer', (ctx) => ctx.stack.grpcBaselineAddr),
};
