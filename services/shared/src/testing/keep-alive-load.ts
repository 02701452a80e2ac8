import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'node:http';

/** What a keep-alive load saw: answers with a 2xx (their bodies) and everything else. */
export interface LoadOutcome {
  /** Response bodies of the requests answered with a 2xx. */
  readonly succeeded: readonly string[];
  /** One line per request that got no 2xx: its status and body, or the socket error. */
  readonly failures: readonly string[];
  readonly completed: number;
}

export interface KeepAliveLoad {
  /** Resolves once `condition` holds for what has completed so far. */
  until(condition: (outcome: LoadOutcome) => boolean): Promise<void>;
  /** What has completed so far. */
  snapshot(): LoadOutcome;
  /** Starts no further requests, waits for those in flight, and reports. */
  stop(): Promise<LoadOutcome>;
}

/**
 * `connections` clients, each sending one request after another over its own keep-alive connection
 * (a new one only when the server closes it), the way a load balancer or a busy client does.
 * Request n sends `body(n)` and `headers(n)`.
 */
export function keepAliveLoad(options: {
  url: string;
  connections: number;
  /** Default POST when there is a body, else GET. */
  method?: string;
  body?: (n: number) => string;
  headers?: (n: number) => Record<string, string>;
}): KeepAliveLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const succeeded: string[] = [];
  const failures: string[] = [];
  let stopping = false;
  let next = 0;
  const snapshot = (): LoadOutcome => ({ succeeded: [...succeeded], failures: [...failures], completed: succeeded.length + failures.length });

  const once = (n: number) =>
    new Promise<void>((resolve) => {
      const body = options.body?.(n);
      const req = request(
        options.url,
        {
          agent,
          method: options.method ?? (body === undefined ? 'GET' : 'POST'),
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers?.(n) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) succeeded.push(text);
            else failures.push(`#${n}: ${status} ${text}`);
            resolve();
          });
          res.on('error', (error) => {
            failures.push(`#${n}: ${error.message}`);
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        failures.push(`#${n}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
        resolve();
      });
      req.end(body);
    });

  const workers = Array.from({ length: options.connections }, async () => {
    while (!stopping) await once(next++);
  });

  return {
    until: async (condition) => {
      while (!condition(snapshot())) {
        if (stopping) throw new Error('the load was stopped before the condition held');
        await sleep(20);
      }
    },
    snapshot,
    stop: async () => {
      stopping = true;
      await Promise.all(workers);
      agent.destroy();
      return snapshot();
    },
  };
}
