import type { Scenario } from '../scenario.js';
import { ensureMessages, getTarget, LIST_PATH } from './http-targets.js';

/** The same GET through the dev gateway vs straight to public-api: the ratio is what the gateway keeps. */
export const gatewayGet: Scenario = {
  id: 'gateway-get',
  title: 'GET /api/public/messages?limit=20, through the dev gateway',
  concurrency: (settings) => settings.connections,
  prepare: (ctx) => ensureMessages(ctx, 100),
  product: getTarget('dev gateway → public-api', (ctx) => ctx.stack.gatewayUrl, LIST_PATH),
  baseline: getTarget('public-api direct', (ctx) => ctx.stack.publicApiUrl, LIST_PATH),
};
