import { AuthServiceDefinition, type Session } from '@testbed/protos/auth/v1/web';
import { ClientError, Metadata, NodeHttpTransport, Status, createChannel, createClient } from 'nice-grpc-web';
import { RequestError } from './http.js';

/**
 * auth.v1.AuthService/GetSession over grpc-web (application/grpc-web+proto) through the gateway at
 * `baseUrl`: the SPA's generated client (nice-grpc-web on ts-proto's service definition), on Node's
 * http module so `resolveHostTo` (network.ts) reaches it through the global agents.
 */
export function createSessionClient(baseUrl: string, timeoutMs: number): (idToken: string) => Promise<Session> {
  const client = createClient(AuthServiceDefinition, createChannel(baseUrl, NodeHttpTransport()));
  return async (idToken) => {
    try {
      return await client.getSession(
        {},
        {
          metadata: Metadata({ authorization: `Bearer ${idToken}`, 'grpc-timeout': `${timeoutMs}m` }),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
    } catch (error) {
      if (error instanceof ClientError) {
        // grpc UNAUTHENTICATED → 401, so UserSession.withToken refreshes the token as for REST.
        throw new RequestError(
          `GetSession → gRPC status ${error.code}${error.details ? ` (${error.details})` : ''}`,
          error.code === Status.UNAUTHENTICATED ? 401 : undefined,
        );
      }
      throw error;
    }
  };
}
