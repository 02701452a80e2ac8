// The stack the fuzz suites attack: every service as its own process on real MariaDB (a database
// of its own), Redis and NATS (streams of its own), the dev gateway in front, and a user signed
// in to the Firebase Auth emulator. Each dependency budget is generous: the suites send one case
// at a time, so on a loaded 2-core CI machine a slow neighbour must not turn into a 503 the
// property would count as a server fault.
import { randomBytes } from 'node:crypto';
import type { OpenApiDocument } from '@testbed/service-kit';
import { topologyWithPrefix } from '@testbed/service-kit/events';
import { createTestDatabase, deleteTopology, signInUser, signUpUser, type EmulatorUser, type TestDatabase } from '@testbed/service-kit/testing';
import { startStack, type Stack } from '../../scripts/dev/stack.js';
import type { TokenSource } from './http-requests.js';

/**
 * Budgets for every wait on a dependency, by the config key each service reads (config.ts of
 * each service and of the kit). Far above anything a healthy machine needs; a wait that still
 * runs out is worth a failure.
 */
export const GENEROUS_BUDGETS: Readonly<Record<string, string>> = {
  // Kit: every service with MySQL.
  MYSQL_CONNECT_TIMEOUT_MS: '30000',
  MYSQL_QUERY_TIMEOUT_MS: '60000',
  MYSQL_POOL_WAIT_TIMEOUT_MS: '60000',
  // secure-api and public-api: VerifyToken calls to auth-service.
  AUTH_VERIFY_TIMEOUT_MS: '60000',
  // secure-api: calls to public-api's internal routes.
  PUBLIC_API_TIMEOUT_MS: '60000',
  // public-api: calls to event-consumer's read API (the feed and stats).
  READ_MODELS_TIMEOUT_MS: '60000',
  // auth-service: firebase-admin, Redis (capped at a quarter of the caller's deadline: 15 s here), NATS.
  FIREBASE_VERIFY_TIMEOUT_MS: '60000',
  REDIS_BUDGET_MS: '15000',
  NATS_PUBLISH_TIMEOUT_MS: '30000',
  // public-api: the fuzzer writes far more than a person; 429s would hide the write path.
  RATE_LIMIT_PER_MINUTE: '1000000',
};

export interface FuzzStack {
  readonly stack: Stack;
  /** The documents as the services serve them at runtime (GET …/openapi.json). */
  readonly documents: { readonly publicApi: OpenApiDocument; readonly secureApi: OpenApiDocument; readonly readModels: OpenApiDocument };
  /** Origins of the services themselves, without the gateway (event-consumer's read API is never behind it). */
  readonly direct: { readonly publicApi: string; readonly secureApi: string; readonly readModels: string; readonly authGrpc: string };
  readonly tokens: TokenSource & {
    /** Signs the user in again: a new token with a fresh auth_time, so writes that need a recent sign-in get past it. */
    refresh(): Promise<void>;
  };
  /** Why the stack is no longer whole (a service exited), or undefined while it is. */
  brokenBecause(): string | undefined;
  stop(): Promise<void>;
}

async function servedDocument(url: string): Promise<OpenApiDocument> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as OpenApiDocument;
  if (!String(document.openapi).startsWith('3.')) throw new Error(`${url} is not an OpenAPI 3.x document`);
  return document;
}

export async function startFuzzStack(): Promise<FuzzStack> {
  const run = randomBytes(4).toString('hex');
  const topologyPrefix = `fuzz_${run}`;
  const natsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
  // The stack's streams live on the shared NATS server; each run removes its own.
  const removeStreams = () => deleteTopology(natsUrl, topologyWithPrefix(topologyPrefix));
  let database: TestDatabase | undefined;
  let stack: Stack | undefined;
  const exits: string[] = [];
  try {
    database = await createTestDatabase('fuzz');
    stack = await startStack({
      spa: 'placeholder',
      adapters: {
        MYSQL_URL: database.url,
        REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
        NATS_URL: natsUrl,
      },
      ports: 'free',
      serviceEnv: {
        ...GENEROUS_BUDGETS,
        REDIS_KEY_PREFIX: `fuzz-${run}:auth:`,
        EVENT_TOPOLOGY_PREFIX: topologyPrefix,
        LOG_LEVEL: 'warn',
      },
      onUnexpectedExit: (name, reason) => exits.push(`${name} exited (${reason})`),
    });
    const started = stack;
    const direct = {
      publicApi: `http://127.0.0.1:${started.ports.publicApi}`,
      secureApi: `http://127.0.0.1:${started.ports.secureApi}`,
      readModels: `http://127.0.0.1:${started.ports.eventConsumer}`,
      authGrpc: `127.0.0.1:${started.ports.authGrpc}`,
    };
    const documents = {
      publicApi: await servedDocument(`${direct.publicApi}/api/public/openapi.json`),
      secureApi: await servedDocument(`${direct.secureApi}/api/secure/openapi.json`),
      readModels: await servedDocument(`${direct.readModels}/read-models/openapi.json`),
    };
    let user: EmulatorUser = await signUpUser({ displayName: 'Fuzz Tester' });
    const db = database;
    return {
      stack: started,
      documents,
      direct,
      tokens: {
        validToken: () => user.idToken,
        refresh: async () => {
          user = await signInUser(user.email, user.password);
        },
      },
      brokenBecause: () => (exits.length > 0 ? `${exits.join('; ')}\n${started.output().split('\n').slice(-40).join('\n')}` : undefined),
      stop: async () => {
        await started.stop();
        await db.drop();
        await removeStreams();
      },
    };
  } catch (error) {
    await stack?.stop();
    await database?.drop();
    await removeStreams().catch(() => undefined);
    throw error;
  }
}
