import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  status as GrpcStatus,
  type Client,
  type ServiceError,
} from '@grpc/grpc-js';
import { AuthLevel, AuthServiceClient, type Session } from '@testbed/protos/auth/v1';
import { AppError, kindFromGrpcStatus, type Metrics } from '@testbed/service-kit';
import { service as healthServiceDefinition } from 'grpc-health-check';
import type { AuthVerifier } from '../../domain/auth-verifier.js';
import type { VerifiedSession } from '../../domain/session.js';

/** The name auth-service registers with grpc.health.v1; an empty name would only mean "the server is up". */
export const AUTH_HEALTH_SERVICE_NAME = 'auth.v1.AuthService';

const DEFAULT_DEADLINE_MS = 2_000;

interface HealthCheckResponse {
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
}

type HealthClient = Client & {
  check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: ServiceError | null, response?: HealthCheckResponse) => void,
  ): void;
};

const HealthClientConstructor = makeGenericClientConstructor(
  healthServiceDefinition as Parameters<typeof makeGenericClientConstructor>[0],
  'grpc.health.v1.Health',
) as unknown as new (...args: ConstructorParameters<typeof AuthServiceClient>) => HealthClient;

const isServiceError = (error: unknown): error is ServiceError =>
  error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';

export function sessionFromProto(session: Session): VerifiedSession {
  return {
    uid: session.uid,
    email: session.email,
    emailVerified: session.emailVerified,
    displayName: session.displayName,
    signInProvider: session.signInProvider,
    authTime: session.authTime,
    issuedAt: session.issuedAt,
    expiresAt: session.expiresAt,
    // Anything but an explicit AUTHENTICATED gets the lesser level: an unknown value must not unlock writes.
    level: session.level === AuthLevel.AUTH_LEVEL_AUTHENTICATED ? 'AUTHENTICATED' : 'AUTHORIZED',
  };
}

/** A failed call as an AppError whose kind says whether the token or the call was at fault. */
export function appErrorFromGrpc(error: unknown): AppError {
  if (!isServiceError(error)) {
    return new AppError('unavailable', 'auth-service call failed', { cause: error });
  }
  const kind = kindFromGrpcStatus(error.code);
  const reason = error.details || GrpcStatus[error.code] || 'unknown error';
  return new AppError(kind, reason, { cause: error });
}

/**
 * Verifies tokens through auth-service's VerifyToken. One client, so one HTTP/2 channel, serves
 * every request and the readiness probe; grpc-js reconnects it by itself.
 */
export class GrpcAuthVerifier implements AuthVerifier {
  private readonly client: AuthServiceClient;
  private readonly health: HealthClient;
  private readonly deadlineMs: number;
  private readonly calls;

  constructor(address: string, options: { metrics: Metrics; deadlineMs?: number }) {
    // Plaintext inside the cluster: transport security between pods is the mesh's or the network policy's job.
    this.client = new AuthServiceClient(address, credentials.createInsecure());
    this.health = new HealthClientConstructor(address, credentials.createInsecure(), {
      channelOverride: this.client.getChannel(),
    });
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.calls = options.metrics.histogram(
      'auth_verify_token_client_seconds',
      'Duration of VerifyToken calls to auth-service, by gRPC status code',
      ['code'],
    );
  }

  verify(idToken: string): Promise<VerifiedSession> {
    const end = this.calls.startTimer();
    return new Promise((resolve, reject) => {
      this.client.verifyToken(
        { idToken, checkRevoked: false },
        new Metadata(),
        { deadline: this.deadline() },
        (error, response) => {
          if (error) {
            end({ code: GrpcStatus[error.code] ?? String(error.code) });
            reject(appErrorFromGrpc(error));
            return;
          }
          end({ code: GrpcStatus[GrpcStatus.OK] });
          if (!response.session) {
            reject(new AppError('unavailable', 'auth-service answered without a session'));
            return;
          }
          resolve(sessionFromProto(response.session));
        },
      );
    });
  }

  /** Resolves when auth-service reports SERVING through grpc.health.v1. */
  checkHealth(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.health.check({ service: AUTH_HEALTH_SERVICE_NAME }, { deadline: this.deadline() }, (error, response) => {
        if (error) reject(new Error(`auth-service health check failed: ${error.details || error.message}`));
        else if (response?.status !== 'SERVING') reject(new Error(`auth-service is ${response?.status ?? 'silent'}`));
        else resolve();
      });
    });
  }

  /** Closes the shared channel, and with it the health client riding on it. */
  close(): void {
    this.client.close();
  }

  private deadline(): Date {
    return new Date(Date.now() + this.deadlineMs);
  }
}
