import { existsSync } from 'node:fs';
import { ensureBases } from './bases.js';
import { imageExists, podman, run } from './podman.js';

/** The four Node services; each directory under services/ is an image of the same name. */
export const SERVICE_IMAGES = ['auth-service', 'public-api', 'secure-api', 'event-consumer'] as const;
/**
 * Images built from services/Dockerfile out of a workspace package that is not a service: the image
 * name and the package it deploys (`--build-arg PACKAGE`).
 */
export const TOOL_IMAGES = { loadgenerator: '@testbed/loadgen' } as const;
/** Every image the project ships, in build order (the services share their first layers). */
export const IMAGE_NAMES = [...SERVICE_IMAGES, 'loadgenerator', 'frontend'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** The tag `pnpm images` gives an image: `localhost/testbed/<name>:dev`. */
export function imageRef(name: ImageName): string {
  return `localhost/testbed/${name}:dev`;
}

/** The CA bundle of the machine's TLS-intercepting proxy, handed to RUN steps that reach npm. */
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

type Log = (message: string) => void;

/** Options for {@link buildImage}. */
export interface BuildOptions {
  /** Copy podman's build output to stderr. */
  readonly echo?: boolean;
}

/**
 * Builds one image from the repository root with `podman build --pull=never` (bases must be local:
 * see {@link ensureBases}); unchanged layers come from podman's cache.
 * @returns the image reference.
 */
export async function buildImage(name: ImageName, options: BuildOptions = {}): Promise<string> {
  const dockerfile = name === 'frontend' ? 'frontend/Dockerfile' : 'services/Dockerfile';
  const revision = (await run('git', ['rev-parse', 'HEAD'])).stdout.trim();
  // The commit's time, not the build's, so rebuilding a commit reuses the cached label layer.
  const created = (await run('git', ['log', '-1', '--format=%cI'])).stdout.trim();
  const args = [
    'build',
    '--pull=never',
    '--network',
    'host',
    '--file',
    dockerfile,
    '--tag',
    imageRef(name),
    '--build-arg',
    `REVISION=${revision}`,
    '--build-arg',
    `CREATED=${created}`,
  ];
  if (name !== 'frontend') args.push('--build-arg', `SERVICE=${name}`);
  // A tool's image runs its main.js without the services' telemetry preload (the Dockerfile's `tool` stage).
  if (name in TOOL_IMAGES) args.push('--build-arg', `PACKAGE=${TOOL_IMAGES[name as keyof typeof TOOL_IMAGES]}`, '--target', 'tool');
  if (existsSync(HOST_CA_BUNDLE)) {
    args.push('--secret', `id=ca,src=${HOST_CA_BUNDLE}`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/secrets/ca');
  }
  args.push('.');
  await podman(args, { echo: options.echo ?? false });
  return imageRef(name);
}

/**
 * Builds the images that are missing (all of them when `rebuild`), after making sure the base
 * images exist. Tests that need the images (the image suite, the `podman kube play` test) call
 * this: a second call costs a few `podman image exists`.
 * @returns the references of the requested images.
 */
export async function ensureImages(
  names: readonly ImageName[] = IMAGE_NAMES,
  { rebuild = false, log = (m: string) => console.error(m), echo = false }: { rebuild?: boolean; log?: Log; echo?: boolean } = {},
): Promise<string[]> {
  const todo: ImageName[] = [];
  for (const name of names) if (rebuild || !(await imageExists(imageRef(name)))) todo.push(name);
  if (todo.length > 0) await ensureBases(log);
  for (const name of todo) {
    const started = Date.now();
    log(`building ${imageRef(name)}`);
    await buildImage(name, { echo });
    log(`built ${imageRef(name)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return names.map(imageRef);
}
