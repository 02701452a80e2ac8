// @ts-check
import { isMain } from './cli.mjs';

/**
 * The deployable images and the workspace package each one is built from. The image name is the
 * directory name (services/<name>/, frontend/), and equals the Kubernetes name and the Harbor
 * repository name.
 * @type {ReadonlyArray<{ readonly name: string; readonly dir: string }>}
 */
export const IMAGES = Object.freeze([
  { name: 'auth-service', dir: 'services/auth-service' },
  { name: 'public-api', dir: 'services/public-api' },
  { name: 'secure-api', dir: 'services/secure-api' },
  { name: 'event-consumer', dir: 'services/event-consumer' },
  { name: 'frontend', dir: 'frontend' },
]);

/**
 * The Dockerfile of an image, relative to the repository root (the build context). The four
 * services share services/Dockerfile (build arg SERVICE = the image name); the SPA has its own.
 * @param {string} name an entry of {@link IMAGES}
 * @returns {string}
 * @throws {Error} when the name is not an image of this repository
 */
export function dockerfileOf(name) {
  const image = IMAGES.find((candidate) => candidate.name === name);
  if (!image) throw new Error(`unknown image "${name}"; known: ${IMAGES.map((i) => i.name).join(', ')}`);
  return image.dir.startsWith('services/') ? 'services/Dockerfile' : `${image.dir}/Dockerfile`;
}

/**
 * The directory holding an image's sources, relative to the repository root.
 * @param {string} name an entry of {@link IMAGES}
 * @returns {string}
 * @throws {Error} when the name is not an image of this repository
 */
export function sourceDirOf(name) {
  const image = IMAGES.find((candidate) => candidate.name === name);
  if (!image) throw new Error(`unknown image "${name}"; known: ${IMAGES.map((i) => i.name).join(', ')}`);
  return image.dir;
}

// `images.mjs list` prints the image names; `images.mjs dockerfile <name>` an image's Dockerfile
// (the build-image Task's resolve step); `images.mjs dir <name>` its sources (test-changed.sh).
if (isMain(import.meta.url)) {
  const [command, name] = process.argv.slice(2);
  if (command === 'list') {
    process.stdout.write(IMAGES.map((image) => image.name).join(' '));
  } else if ((command === 'dockerfile' || command === 'dir') && name) {
    try {
      process.stdout.write(command === 'dir' ? sourceDirOf(name) : dockerfileOf(name));
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
  } else {
    console.error('usage: images.mjs list | images.mjs dockerfile <image> | images.mjs dir <image>');
    process.exit(2);
  }
}
