import { AppError, type Logger, type Metrics } from '@testbed/service-kit';
import type { Request, RequestHandler, Response } from 'express';
import type { RateLimitStore, WindowHit } from '../domain/rate-limit.store.js';

export interface RateLimitOptions {
  readonly store: RateLimitStore;
  /** Requests allowed per client per window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Names the policy in the headers and separates its counters from other policies'. */
  readonly policy: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * Whose budget a request spends. Default: the client address (`req.ip` honours X-Forwarded-For
   * only from the trusted proxies the kit's app configures). The internal route keys by user uid.
   */
  readonly clientKey?: (req: Request, res: Response) => string;
}

const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * Counts each client's requests per fixed window and refuses the ones over the limit with a 429.
 * Every answer carries the draft-ietf-httpapi-ratelimit-headers fields (the `RateLimit-Policy` /
 * `RateLimit` pair of drafts -09 and later) so clients can slow down before they are refused.
 *
 * If the store fails (Redis down) the request is allowed: losing the limit for a while is better
 * than refusing every write while the messages table itself is healthy. One log line per outage.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const windowS = Math.ceil(options.windowMs / 1000);
  const policyHeader = `"${options.policy}";q=${options.limit};w=${windowS}`;
  let storeDown = false;
  const decisions = options.metrics.counter(
    'http_rate_limit_decisions_total',
    'Requests checked against a rate limit, by outcome (allowed, limited, or store-down when allowed unchecked)',
    ['policy', 'outcome'],
  );

  return async (req, res, next) => {
    const client = (options.clientKey ?? clientAddress)(req, res);
    let hit: WindowHit;
    try {
      hit = await options.store.hit(`${options.policy}:${client}`, options.windowMs);
    } catch (error) {
      if (!storeDown) {
        options.logger.warn({ err: error }, 'rate limit store unavailable; allowing requests');
        storeDown = true;
      }
      decisions.inc({ policy: options.policy, outcome: 'store-down' });
      next();
      return;
    }
    if (storeDown) {
      options.logger.info('rate limit store is back');
      storeDown = false;
    }
    const resetS = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    const remaining = Math.max(0, options.limit - hit.count);
    res.setHeader('RateLimit-Policy', policyHeader);
    res.setHeader('RateLimit', `"${options.policy}";r=${remaining};t=${resetS}`);
    const limited = hit.count > options.limit;
    decisions.inc({ policy: options.policy, outcome: limited ? 'limited' : 'allowed' });
    if (limited) {
      throw new AppError('resource-exhausted', `rate limit of ${options.limit} requests per ${windowS} s exceeded`, {
        headers: { 'Retry-After': String(resetS) },
      });
    }
    next();
  };
}
