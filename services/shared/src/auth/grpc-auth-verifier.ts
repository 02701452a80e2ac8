import { credentials, makeGenericClientConstructor, Metadata, status as GrpcStatus, type ChannelOptions, type Client, type ServiceError } from '@grpc/grpc-js';
import { AuthLevel, AuthServiceClient, type VerifyTokenResponse } from '@testbed/protos/auth/v1';
import { service as healthServiceDefinition } from 'grpc-health-check';
import { AppError, kindFromGrpcStatus } from '../errors.js';
import { DEFAULT_VERIFY_DEADLINE_MS } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { AuthVerifier, VerifiedSession, VerifyOptions } from './session.js';

/** The name auth-service registers with grpc.health.v1; an empty name would only mean "the server is up". */
export const AUTH_HEALTH_SERVICE_NAME = 'auth.v1.AuthService';

// Defined with the config key that overrides it (AUTH_VERIFY_TIMEOUT_MS).
export { DEFAULT_VERIFY_DEADLINE_MS };

/**
 * VerifyToken is idempotent (it only reads), so a call that failed with UNAVAILABLE (refused,
 * reset, no connection yet) is tried again within the caller's deadline: grpc-js never retries
 * past it. Shape and field names: gRFC A6, https://github.com/grpc/proposal/blob/master/A6-client-retries.md
 */
const RETRY_SERVICE_CONFIG = {
  methodConfig: [
    {
      name: [{ service: 'auth.v1.AuthService', method: 'VerifyToken' }],
      retryPolicy: {
        maxAttempts: 4,
        initialBackoff: '0.1s',
        maxBackoff: '0.5s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
  ],
};

/**
 * Channel settings for auth-service. grpc-js's default reconnect backoff grows to 120 s, so after
 * a minute's outage the channel may wait 10+ s before it even tries again (issue 7, item 12);
 * capped at 1 s it finds auth-service back within about a second. Keepalive pings notice a peer
 * that vanished without closing the connection (a deleted pod) instead of waiting for TCP.
 */
export const AUTH_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.enable_retries': 1,
  'grpc.service_config': JSON.stringify(RETRY_SERVICE_CONFIG),
};

interface HealthCheckResponse {
  status: 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
}

type HealthClient = Client & {
  check(request: { service: string }, options: { deadline: Date }, callback: (error: ServiceError | null, response?: HealthCheckResponse) => void): void;
};

const HealthClientConstructor = makeGenericClientConstructor(healthServiceDefinition, 'grpc.health.v1.Health') as unknown as new (
  ...args: ConstructorParameters<typeof AuthServiceClient>
) => HealthClient;

const isServiceError = (error: unknown): error is ServiceError => error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';

/**
 * The one mapping from auth-service's answer to our session. Throws an `unavailable` AppError when
 * the answer has no session (a broken server, not a bad token).
 */
export function sessionFromResponse(response: VerifyTokenResponse): VerifiedSession {
  const session = response.session;
  if (!session) throw new AppError('unavailable', 'auth-service answered without a session');
  return {
    ...session,
    // Anything but an explicit AUTHENTICATED gets the lesser level: an unknown value must not unlock writes.
    level: session.level === AuthLevel.AUTH_LEVEL_AUTHENTICATED ? 'AUTHENTICATED' : 'AUTHORIZED',
    // proto3 sends 0 for "not set": an older auth-service that does not announce its window.
    freshAuthMaxAgeS: response.freshAuthMaxAgeSeconds > 0 ? response.freshAuthMaxAgeSeconds : undefined,
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

export interface GrpcAuthVerifierOptions {
  readonly metrics: Metrics;
  /** Budget of one verification, retries included; default DEFAULT_VERIFY_DEADLINE_MS. */
  readonly deadlineMs?: number;
  /** Overrides of AUTH_CHANNEL_OPTIONS, for tests. */
  readonly channelOptions?: ChannelOptions;
}

/**
 * Verifies tokens through auth-service's VerifyToken (protos/auth/v1/auth.proto). One client, so
 * one HTTP/2 channel, serves every request and the readiness probe; it reconnects by itself with
 * the bounded backoff of AUTH_CHANNEL_OPTIONS.
 */
export class GrpcAuthVerifier implements AuthVerifier {
  private readonly client: AuthServiceClient;
  private readonly health: HealthClient;
  private readonly deadlineMs: number;
  private readonly calls;

  /** `address` is host:port of auth-service's gRPC port (AUTH_GRPC_ADDR). */
  constructor(address: string, options: GrpcAuthVerifierOptions) {
    const channelOptions = { ...AUTH_CHANNEL_OPTIONS, ...options.channelOptions };
    // Plaintext inside the cluster: transport security between pods is the mesh's or the network policy's job.
    this.client = new AuthServiceClient(address, credentials.createInsecure(), channelOptions);
    this.health = new HealthClientConstructor(address, credentials.createInsecure(), {
      channelOverride: this.client.getChannel(),
    });
    this.deadlineMs = options.deadlineMs ?? DEFAULT_VERIFY_DEADLINE_MS;
    this.calls = options.metrics.histogram('auth_verify_token_client_seconds', 'Duration of VerifyToken calls to auth-service, by gRPC status code', ['code']);
  }

  /** Rejects with an AppError as AuthVerifier documents. */
  verify(idToken: string, options: VerifyOptions = {}): Promise<VerifiedSession> {
    const end = this.calls.startTimer();
    return new Promise((resolve, reject) => {
      this.client.verifyToken({ idToken, checkRevoked: options.checkRevoked ?? false }, new Metadata(), { deadline: this.deadline() }, (error, response) => {
        if (error) {
          end({ code: GrpcStatus[error.code] ?? String(error.code) });
          reject(appErrorFromGrpc(error));
          return;
        }
        end({ code: GrpcStatus[GrpcStatus.OK] });
        try {
          resolve(sessionFromResponse(response));
        } catch (failure) {
          reject(failure);
        }
      });
    });
  }

  /**
   * Resolves when auth-service reports SERVING through grpc.health.v1, over the same channel the
   * verifications use, so readiness sees what requests would see.
   */
  checkHealth(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.health.check({ service: AUTH_HEALTH_SERVICE_NAME }, { deadline: this.deadline() }, (error, response) => {
        if (error) reject(new Error(`auth-service health check failed: ${error.details || error.message}`, { cause: error }));
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
