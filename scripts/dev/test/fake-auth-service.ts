// A tiny auth.v1.AuthService on a real grpc-js server, so the gateway is tested against the
// same HTTP/2 and gRPC framing the real auth-service produces.
import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { AuthLevel, AuthServiceService, type AuthServiceServer, type Session } from '@testbed/protos/auth/v1';

export const GOOD_TOKEN = 'good-token';

function sessionFor(token: string): Session | undefined {
  if (token !== GOOD_TOKEN) return undefined;
  return {
    uid: 'user-1',
    email: 'user-1@example.test',
    emailVerified: true,
    displayName: 'User One',
    signInProvider: 'password',
    authTime: 1_700_000_000,
    issuedAt: 1_700_000_000,
    expiresAt: 1_700_003_600,
    level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
  };
}

const implementation: AuthServiceServer = {
  verifyToken(call, callback) {
    const token = call.request.idToken;
    // A call that never answers: the caller's deadline must end it.
    if (token === 'hang') return;
    const session = sessionFor(token);
    if (!session) {
      callback({ code: status.UNAUTHENTICATED, details: 'token is not valid' });
      return;
    }
    const trailers = new Metadata();
    trailers.set('x-verified-by', 'fake-auth-service');
    callback(null, { session, freshAuthMaxAgeSeconds: 300 }, trailers);
  },
  getSession(call: ServerUnaryCall<unknown, Session>, callback: sendUnaryData<Session>) {
    const header = String(call.metadata.get('authorization')[0] ?? '');
    const session = sessionFor(header.replace(/^Bearer /, ''));
    if (!session) {
      callback({ code: status.UNAUTHENTICATED, details: 'missing or invalid bearer token' });
      return;
    }
    callback(null, session);
  },
};

export interface FakeAuthService {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startFakeAuthService(port = 0): Promise<FakeAuthService> {
  const server = new Server();
  server.addService(AuthServiceService, implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return {
    port: bound,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
