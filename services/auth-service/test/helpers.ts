import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { credentials, loadPackageDefinition, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { AuthServiceClient, type Session, type VerifyTokenResponse } from '@testbed/protos/auth/v1';
import { createLogger, loadConfig } from '@testbed/service-kit';
import type { EventTopology } from '@testbed/service-kit/events';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startService, type RunningAuthService } from '../src/service.js';
import { configSchema } from '../src/config.js';

/** Starts the service in this process on free ports, configured like main.ts does it. */
export async function startTestService(env: Record<string, string | undefined> = {}, options: { topology?: EventTopology } = {}): Promise<RunningAuthService> {
  const config = loadConfig(configSchema, {
    NODE_ENV: 'test',
    GRPC_PORT: '0',
    PORT: '0',
    SHUTDOWN_TIMEOUT_MS: '2000',
    FIREBASE_AUTH_EMULATOR_HOST: process.env['FIREBASE_AUTH_EMULATOR_HOST'],
    ...env,
  });
  return startService(config, { logger: createLogger({ service: 'auth-service-test', level: 'silent' }), ...options });
}

export const address = (service: RunningAuthService): string => `127.0.0.1:${service.grpcPort}`;

export type GeneratedClient = ReturnType<typeof generatedClient>;

/** The generated grpc-js client, promisified. */
export function generatedClient(service: RunningAuthService) {
  const client = new AuthServiceClient(address(service), credentials.createInsecure());
  return {
    /** With `deadlineMs` (milliseconds from now), the call carries a gRPC deadline as secure-api's do. */
    verifyToken: (idToken: string, checkRevoked = false, options: { deadlineMs?: number } = {}) =>
      new Promise<VerifyTokenResponse>((resolve, reject) =>
        client.verifyToken(
          { idToken, checkRevoked },
          new Metadata(),
          options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs },
          (error, response) => (error ? reject(error) : resolve(response)),
        ),
      ),
    getSession: (metadata = new Metadata()) =>
      new Promise<Session>((resolve, reject) => client.getSession({}, metadata, (error, response) => (error ? reject(error) : resolve(response)))),
    close: () => client.close(),
  };
}

type Callback = (error: ServiceError | null, response: Record<string, unknown>) => void;
type DynamicClient = Record<string, (request: unknown, callback: Callback) => void> & { close(): void };
type DynamicClientConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => DynamicClient;

/** A client built at runtime from a .proto file with @grpc/proto-loader, as any other language would. */
export function dynamicClient(protoFile: string, servicePath: string[], target: string): DynamicClient {
  const definition = loadPackageDefinition(loadSync(protoFile, { keepCase: true, longs: String, enums: String, defaults: true })) as Record<string, unknown>;
  const Client = servicePath.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], definition) as DynamicClientConstructor;
  return new Client(target, credentials.createInsecure());
}

export const authProtoFile = (): string => createRequire(import.meta.url).resolve('@testbed/protos/auth/v1/auth.proto');

export function healthStatus(service: RunningAuthService, name: string): Promise<string> {
  const client = dynamicClient(healthProtoPath, ['grpc', 'health', 'v1', 'Health'], address(service));
  return new Promise((resolve, reject) =>
    client['Check']!({ service: name }, (error, response) => {
      client.close();
      return error ? reject(error) : resolve(String(response['status']));
    }),
  );
}

export const bearer = (token: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};

/** The value of one labelled counter from the service's own metrics registry. */
export async function counterValue(service: RunningAuthService, name: string, result: string): Promise<number> {
  const metric = await service.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels['result'] === result)?.value ?? 0;
}

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for one test file, and a way to remove what it wrote. */
export function redisNamespace() {
  const prefix = `test:auth:${randomUUID()}:`;
  return {
    prefix,
    cleanUp: async () => {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
}

/** Asks the server reflection service which services it offers, as grpcurl does. */
export function reflectedServices(service: RunningAuthService): Promise<string[]> {
  const protoFile = createRequire(import.meta.url).resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
  const definition = loadPackageDefinition(loadSync(protoFile, { keepCase: true })) as Record<string, unknown>;
  const Client = ['grpc', 'reflection', 'v1', 'ServerReflection'].reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], definition) as new (
    address: string,
    creds: ReturnType<typeof credentials.createInsecure>,
  ) => {
    ServerReflectionInfo(): ClientDuplexStream<object, ReflectionResponse>;
    close(): void;
  };
  const client = new Client(address(service), credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (response: ReflectionResponse) => {
      resolve((response.list_services_response?.service ?? []).map((s) => s.name));
      call.end();
    });
    call.on('error', reject);
    call.on('end', () => client.close());
    call.write({ list_services: '' });
  });
}

/** What serviceForSuite started; read the fields inside tests (they are set by its beforeAll). */
export interface SuiteService {
  readonly service: RunningAuthService;
  readonly client: GeneratedClient;
  /** The Redis key prefix of this suite's keys, with `sharedRedis`. */
  readonly prefix: string;
}

/**
 * For the enclosing describe: a service with a client, started before its first test and stopped
 * after its last. With `sharedRedis`, it runs on the shared Redis under a key prefix of its own,
 * whose keys are removed afterwards.
 */
export function serviceForSuite(options: { sharedRedis?: boolean; env?: Record<string, string> } = {}): SuiteService {
  const namespace = redisNamespace();
  let started: { service: RunningAuthService; client: GeneratedClient } | undefined;
  beforeAll(async () => {
    const redisEnv = options.sharedRedis ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: namespace.prefix } : {};
    const service = await startTestService({ ...redisEnv, ...options.env });
    started = { service, client: generatedClient(service) };
  });
  afterAll(async () => {
    started?.client.close();
    await started?.service.stop();
    if (options.sharedRedis) await namespace.cleanUp();
  });
  const get = () => {
    if (!started) throw new Error('the suite service is not started yet: read it inside a test');
    return started;
  };
  return {
    get service() {
      return get().service;
    },
    get client() {
      return get().client;
    },
    prefix: namespace.prefix,
  };
}
