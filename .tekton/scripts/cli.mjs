// @ts-check
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` is the script Node was started with (and not imported by a
 * test), so each script can be both a CLI and a library.
 * @param {string} moduleUrl the caller's `import.meta.url`
 * @returns {boolean}
 */
export function isMain(moduleUrl) {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
}

/**
 * Pairs image references with their digests from a Task's expanded array params, which arrive as
 * positional arguments: the references (`registry/project/name:tag`) and the digests
 * (`sha256:…`), each list in the same order.
 * @param {string[]} positionals
 * @returns {Array<{ image: string; digest: string }>}
 * @throws {Error} when the two lists differ in length
 */
export function pairImagesWithDigests(positionals) {
  const digests = positionals.filter((arg) => arg.startsWith('sha256:'));
  const images = positionals.filter((arg) => !arg.startsWith('sha256:'));
  if (images.length !== digests.length) {
    throw new Error(`got ${images.length} image references but ${digests.length} digests`);
  }
  return images.map((image, index) => ({ image, digest: digests[index] ?? '' }));
}
