import type { Scenario } from '../scenario.js';
import { events } from './events.js';
import { gatewayGet } from './gateway-get.js';
import { publicGet } from './public-get.js';
import { publicPost } from './public-post.js';
import { secureMe } from './secure-me.js';
import { verifyToken } from './verify-token.js';

/** In the order they run: reads first, then writes, then the burst that waits for the pipeline to settle. */
export const SCENARIOS: readonly Scenario[] = [publicGet, gatewayGet, secureMe, verifyToken, publicPost, events];
