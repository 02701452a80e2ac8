import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { imageRef, type ImageName } from './build.js';
import { podman, runUnchecked } from './podman.js';

/** The uid the service images run as (their `USER`); nginx-unprivileged's is 101. */
export const SERVICE_UID = 10001;
export const FRONTEND_UID = 101;

/**
 * The securityContext the manifests give every pod, as podman flags: read-only root filesystem
 * with a tmpfs on /tmp, a numeric non-root user, no capabilities, no privilege escalation.
 */
export function securityFlags(uid: number): string[] {
  return ['--read-only', '--tmpfs', '/tmp:rw,size=64m,mode=1777', '--user', `${uid}:${uid}`, '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
}

/** One container to start: an image of ours, its environment and how it is reached. */
export interface ContainerSpec {
  readonly image: ImageName;
  /** Unique per run, so parallel suites and a `pnpm images --run` never collide. */
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * `host`: the container shares the host's network (services: they reach MariaDB, Redis, NATS
   * and the Auth emulator on loopback and listen on the ports in `env`). Otherwise a private
   * network (slirp4netns) with `publish` as `127.0.0.1:<hostPort>:<containerPort>`.
   */
  readonly network: 'host' | { readonly publish: readonly string[] };
  /** Read-only bind mounts, `hostPath:containerPath`. */
  readonly mounts?: readonly string[];
  readonly uid: number;
}

/** A started container. */
export interface RunningContainer {
  readonly name: string;
  /** Sends SIGTERM (the image's STOPSIGNAL) and waits; podman kills it after `timeoutS`. */
  stop(timeoutS?: number): Promise<void>;
  /** Waits for the container to exit and returns its exit code. */
  wait(): Promise<number>;
  logs(): Promise<string>;
  /** Removes the container (stopping it first if it runs). */
  remove(): Promise<void>;
}

/** Starts a container detached, with the security flags of {@link securityFlags}. */
export async function startContainer(spec: ContainerSpec): Promise<RunningContainer> {
  const args = ['run', '--detach', '--name', spec.name, ...securityFlags(spec.uid)];
  if (spec.network === 'host') args.push('--network', 'host');
  else {
    args.push('--network', 'slirp4netns');
    for (const publish of spec.network.publish) args.push('--publish', publish);
  }
  for (const mount of spec.mounts ?? []) args.push('--volume', `${mount}:ro`);
  for (const [key, value] of Object.entries(spec.env)) args.push('--env', `${key}=${value}`);
  args.push(imageRef(spec.image));
  await podman(args);
  return containerHandle(spec.name);
}

function containerHandle(name: string): RunningContainer {
  return {
    name,
    stop: async (timeoutS = 30) => {
      await runUnchecked('podman', ['stop', '--time', String(timeoutS), name]);
    },
    wait: async () => {
      const { stdout } = await podman(['wait', name]);
      return Number(stdout.trim());
    },
    logs: async () => {
      const { stdout, stderr } = await runUnchecked('podman', ['logs', name]);
      return `${stdout}${stderr}`;
    },
    remove: async () => {
      await runUnchecked('podman', ['rm', '--force', '--time', '5', name]);
    },
  };
}

/** Where the real servers are and where the containers listen; every port on 127.0.0.1. */
export interface AppEnvironment {
  readonly mysqlUrl: string;
  readonly redisUrl: string;
  readonly natsUrl: string;
  /** host:port of the Firebase Auth emulator. */
  readonly emulatorHost: string;
  readonly ports: AppPorts;
  /** Makes container names, Redis key prefixes and NATS topology names unique to this run. */
  readonly runId?: string;
  /**
   * NATS stream/consumer prefix for the event-consumer. Producers (public-api, secure-api,
   * auth-service) have no such setting yet and publish to the default stream, so a whole-app run
   * leaves it unset, as a cluster does.
   */
  readonly eventTopologyPrefix?: string;
  /** Extra variables for every service container (e.g. LOG_LEVEL, SHUTDOWN_DELAY_MS). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /**
   * secure-api's PUBLIC_API_URL; default public-api's internal port (the lead's contract: /internal/*
   * only on INTERNAL_PORT). {@link startApp} falls back to the public port for a public-api built
   * before INTERNAL_PORT existed.
   */
  readonly publicApiUrl?: string;
  /** The SPA's runtime config file on the host, mounted as the frontend's /config.json. */
  readonly frontendConfigFile?: string;
}

export interface AppPorts {
  readonly authGrpc: number;
  readonly authHttp: number;
  readonly publicApi: number;
  readonly publicApiInternal: number;
  readonly secureApi: number;
  readonly eventConsumer: number;
  readonly frontend: number;
}

/** The contract's ports (rules: public-api 8081/8091, secure-api 8082, ...); the frontend on 8088 of the host. */
export const DEFAULT_APP_PORTS: AppPorts = {
  authGrpc: 50051,
  authHttp: 8084,
  publicApi: 8081,
  publicApiInternal: 8091,
  secureApi: 8082,
  eventConsumer: 8083,
  frontend: 8088,
};

/** A short random id for container names and key prefixes. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** The container of every image, configured against the real servers in `app`. */
export function appContainerSpecs(app: AppEnvironment): ContainerSpec[] {
  const run = app.runId ?? newRunId();
  const { ports } = app;
  const common = {
    HOST: '127.0.0.1',
    MYSQL_URL: app.mysqlUrl,
    REDIS_URL: app.redisUrl,
    NATS_URL: app.natsUrl,
    FIREBASE_AUTH_EMULATOR_HOST: app.emulatorHost,
    ...app.serviceEnv,
  };
  const service = (image: ImageName, env: Record<string, string>): ContainerSpec => ({
    image,
    name: `testbed-${image}-${run}`,
    env: { ...common, ...env },
    network: 'host',
    uid: SERVICE_UID,
  });
  return [
    service('auth-service', {
      // The image defaults to production, where auth-service refuses the Auth emulator (it would
      // accept unsigned tokens); these runs use the emulator, so they declare themselves development.
      NODE_ENV: 'development',
      GRPC_PORT: String(ports.authGrpc),
      PORT: String(ports.authHttp),
      FIREBASE_PROJECT_ID: 'demo-testbed',
      REDIS_KEY_PREFIX: `images-${run}:auth:`,
    }),
    service('public-api', {
      PORT: String(ports.publicApi),
      INTERNAL_PORT: String(ports.publicApiInternal),
      AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
      // The activity feed and stats are event-consumer's: public-api reads them from its read API.
      READ_MODELS_URL: `http://127.0.0.1:${ports.eventConsumer}`,
    }),
    service('secure-api', {
      PORT: String(ports.secureApi),
      AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
      PUBLIC_API_URL: app.publicApiUrl ?? `http://127.0.0.1:${ports.publicApiInternal}`,
    }),
    service('event-consumer', {
      PORT: String(ports.eventConsumer),
      ...(app.eventTopologyPrefix ? { EVENT_TOPOLOGY_PREFIX: app.eventTopologyPrefix } : {}),
    }),
    {
      image: 'frontend',
      name: `testbed-frontend-${run}`,
      env: {},
      network: { publish: [`127.0.0.1:${ports.frontend}:8080`] },
      mounts: app.frontendConfigFile ? [`${app.frontendConfigFile}:/usr/share/nginx/html/config.json`] : [],
      uid: FRONTEND_UID,
    },
  ];
}

/** Waits until `url` answers 200; throws with the last answer and the container's logs after `timeoutMs` or once it has exited. */
export async function waitForOk(url: string, container: RunningContainer, timeoutMs = 90_000): Promise<void> {
  let last = 'no answer';
  const answers200 = async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return true;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = String(error);
    }
    return false;
  };
  const exited = async () => {
    const state = await runUnchecked('podman', ['inspect', '--format', '{{.State.Status}}', container.name]);
    return state.stdout.trim() === 'exited' ? `${container.name} exited` : undefined;
  };
  // A plain loop, not the kit's waitFor: test/images/app-setup.ts loads this file as a Vitest global
  // setup, which resolves workspace packages without the @testbed/source condition (test/global-setup.ts
  // says the same), so importing the kit here worked only where a build had left dist/ behind.
  const deadline = Date.now() + timeoutMs;
  let failure: string | undefined;
  while (!(await answers200())) {
    failure = (await exited()) ?? (Date.now() > deadline ? `timed out after ${timeoutMs} ms` : undefined);
    if (failure) break;
    await sleep(500);
  }
  if (failure) throw new Error(`${container.name} did not answer 200 on ${url}: ${failure} (${last}). Logs:\n${(await container.logs()).slice(-4000)}`);
}
