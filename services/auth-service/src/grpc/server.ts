import { createRequire } from 'node:module';
import { ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { AuthServiceService, type AuthServiceServer } from '@testbed/protos/auth/v1';
import { createGrpcServer } from '@testbed/service-kit';
import { metadataLimit } from './metadata-limit.js';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';

export const AUTH_SERVICE_NAME = 'auth.v1.AuthService';

/**
 * Largest request message the server reads. The biggest request is a VerifyTokenRequest: a Firebase
 * ID token of about 1 KiB (MAX_ID_TOKEN_LENGTH, 8 KiB, bounds it in the handler) and a bool. 16 KiB
 * is twice that bound, so a token the handler would still read is never cut off by the transport,
 * while grpc-js's default of 4 MiB let every call make the server buffer and hash megabytes.
 * Larger messages are refused with RESOURCE_EXHAUSTED as they arrive, before being decoded.
 */
export const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024;

export interface RunningGrpcServer {
  readonly port: number;
  readonly health: HealthImplementation;
  /** Lets in-flight calls finish; cancels whatever is left after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

function reflectionService(): ReflectionService {
  const authProtoPath = createRequire(import.meta.url).resolve('@testbed/protos/auth/v1/auth.proto');
  const options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
  return new ReflectionService({ ...loadSync(authProtoPath, options), ...loadSync(healthProtoPath, options) });
}

export async function startGrpcServer(options: {
  /** Address to bind (HOST), e.g. 0.0.0.0 or 127.0.0.1. */
  host: string;
  port: number;
  handlers: AuthServiceServer;
  reflection: boolean;
}): Promise<RunningGrpcServer> {
  // Bytes that are not a request message are INVALID_ARGUMENT, not grpc-js's INTERNAL (the kit's server).
  const server = createGrpcServer({
    'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
    interceptors: [metadataLimit()],
  });
  server.addService(AuthServiceService, options.handlers);
  // Kubernetes probes this natively (`grpc:` probes); "" stands for the whole server.
  const health = new HealthImplementation({ '': 'SERVING', [AUTH_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  // Reflection lets grpcurl and friends discover the API; production keeps its surface small.
  if (options.reflection) reflectionService().addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });

  return {
    port,
    health,
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
