import { GetSessionRequest, Session } from '@testbed/protos/auth/v1/web';
import { GrpcWebClientBase, MethodDescriptor, MethodType, RpcError } from 'grpc-web';
import { XMLHttpRequest } from './xhr2.js';
import { RequestError } from './http.js';

// grpc-web's runtime (the SPA's client) sends through the browser's XMLHttpRequest; xhr2 is that API on
// Node's http module, so the load generator makes the same grpc-web requests the browser does.
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= XMLHttpRequest;

// As in frontend/src/api/auth-grpc.ts: a hand-written descriptor around the ts-proto codecs.
const getSessionMethod = new MethodDescriptor<GetSessionRequest, Session>(
  '/auth.v1.AuthService/GetSession',
  MethodType.UNARY,
  Object,
  Object as unknown as new () => Session,
  (request: GetSessionRequest) => GetSessionRequest.encode(request).finish(),
  (bytes: Uint8Array) => Session.decode(bytes),
);

/** auth.v1.AuthService/GetSession over grpc-web (application/grpc-web+proto) through the gateway at `baseUrl`. */
export function createSessionClient(baseUrl: string, timeoutMs: number): (idToken: string) => Promise<Session> {
  const client = new GrpcWebClientBase({ format: 'binary' });
  return async (idToken) => {
    try {
      return await client.unaryCall(`${baseUrl}${getSessionMethod.getName()}`, GetSessionRequest.fromPartial({}), {
        authorization: `Bearer ${idToken}`,
        deadline: String(Date.now() + timeoutMs),
      }, getSessionMethod);
    } catch (error) {
      if (error instanceof RpcError) {
        // grpc UNAUTHENTICATED (16) → 401, so UserSession.withToken refreshes the token as for REST.
        throw new RequestError(`GetSession → gRPC status ${error.code}${error.message ? ` (${error.message})` : ''}`, error.code === 16 ? 401 : undefined);
      }
      throw error;
    }
  };
}
