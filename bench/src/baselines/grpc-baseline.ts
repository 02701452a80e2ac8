// The gRPC baseline: a bare grpc-js server with auth-service's proto (the same generated service
// definition) whose VerifyToken answers one fixed session at once: no token check, cache,
// logging or metrics. The bench divides auth-service's VerifyToken throughput by this one's.
import { createServer } from 'node:http';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { AuthLevel, AuthServiceService, type AuthServiceServer, type VerifyTokenResponse } from '@testbed/protos/auth/v1';

const now = Math.floor(Date.now() / 1000);
const FIXED: VerifyTokenResponse = {
  session: {
    uid: 'bench-user',
    email: 'bench@example.test',
    emailVerified: false,
    displayName: 'Bench',
    signInProvider: 'password',
    authTime: now,
    issuedAt: now,
    expiresAt: now + 3600,
    level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
  },
  freshAuthMaxAgeSeconds: 300,
};

const handlers: AuthServiceServer = {
  verifyToken: (_call, callback) => callback(null, FIXED),
  getSession: (_call, callback) => callback(null, FIXED.session),
};

const server = new Server();
server.addService(AuthServiceService, handlers);
server.bindAsync(`127.0.0.1:${process.env['GRPC_PORT'] ?? 0}`, ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  // Ready once the gRPC port is bound: the bench waits for this answer.
  createServer((_req, res) => res.end('ok')).listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
});
process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
