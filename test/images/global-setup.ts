import { ensureImages } from '../../scripts/images/build.js';

/**
 * Builds every image from the working tree before the suite (podman's layer cache makes an
 * unchanged image a few seconds' work). IMAGES_REBUILD=0 reuses whatever images exist.
 */
export async function setup(): Promise<void> {
  await ensureImages(undefined, { rebuild: process.env['IMAGES_REBUILD'] !== '0' });
}
