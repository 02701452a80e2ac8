// What other scripts and tests use to get the images (e.g. the `podman kube play` test):
//   import { ensureImages, imageRef, podmanEnv } from '../images/index.js';
//   await ensureImages();                        // builds whatever is missing
//   spawn('podman', [...], { env: podmanEnv() }) // podman with the project's containers.conf
export { IMAGE_NAMES, SERVICE_IMAGES, TOOL_IMAGES, buildImage, ensureImages, imageRef, type ImageName } from './build.js';
export { CONTAINERS_CONF, podmanEnv } from './podman.js';
export { FRONTEND_UID, SERVICE_UID, securityFlags } from './containers.js';
