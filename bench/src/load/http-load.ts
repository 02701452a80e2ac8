import autocannon from 'autocannon';
import { Pool } from 'undici';
import { callLoad } from './call-load.js';

/** One HTTP load run's outcome, as autocannon measured it. */
export interface HttpLoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface HttpLoadOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Builds each request's body (POSTs of distinct messages); overrides `body`. */
  readonly makeBody?: () => string;
  readonly connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  readonly durationS?: number;
  /** Send exactly this many requests, then stop. */
  readonly amount?: number;
  /** Status codes that count as success; default 2xx. */
  readonly expectStatus?: number;
}

/**
 * Closed-loop load with keep-alive connections (autocannon, https://github.com/mcollina/autocannon):
 * each connection sends its next request when the previous answer arrived. Successes are answers
 * with the expected status; everything else (other statuses, errors, timeouts) counts as an error.
 */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const makeBody = options.makeBody;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: { ...(options.body || makeBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body ? { body: options.body } : {}),
    ...(makeBody ? { requests: [{ setupRequest: (request) => ({ ...request, body: makeBody() }) }] } : {}),
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
    timeout: 10,
  });
  const expected = options.expectStatus;
  const statusCounts = result.statusCodeStats as unknown as Record<string, { count: number } | undefined>;
  const ok = expected ? (statusCounts[String(expected)]?.count ?? 0) : result['2xx'];
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requests: ok,
    errors: answered - ok + result.errors + result.timeouts,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * Closed-loop GETs timed to the microsecond. autocannon keeps whole milliseconds, too coarse for
 * the sub-millisecond latency differences of the one-connection scenario, so that one runs
 * undici's keep-alive Pool under the same closed-loop runner as the gRPC calls.
 */
export async function preciseHttpLoad(options: {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly connections: number;
  readonly durationS: number;
}): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const path = `${url.pathname}${url.search}`;
  const call = async () => {
    const response = await pool.request({ method: 'GET', path, ...(options.headers ? { headers: options.headers } : {}) });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`status ${response.statusCode}`);
  };
  try {
    return await callLoad(call, { concurrency: options.connections, durationS: options.durationS });
  } finally {
    await pool.close();
  }
}
