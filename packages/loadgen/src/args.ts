import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What one `pnpm loadgen` run does; see {@link parseLoadgenArgs}. */
export interface LoadgenOptions {
  /** The testbed's one origin (the gateway), e.g. http://localhost:8080. No trailing slash. */
  readonly url: string;
  /** Concurrent virtual users. */
  readonly users: number;
  /** How long to run, in seconds; 0 runs until SIGINT/SIGTERM. */
  readonly durationS: number;
  /** Journeys each user makes before it stops; 0 = no limit (the duration ends the run). */
  readonly iterations: number;
  /** Mean pause between two steps of a user, in milliseconds (each pause is 0.5–1.5 × this). */
  readonly thinkTimeMs: number;
  /** Per-request timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** The run fails (exit 1) when errors / finished flows is above this fraction, 0–1. */
  readonly maxErrorRate: number;
  /** A Firebase web API key: sign users up in that (test) project instead of the Auth emulator. */
  readonly apiKey: string | undefined;
  /** Seconds between two live summaries. */
  readonly intervalS: number;
  /** Connect to this host instead of the URL's (whose name still goes in Host and TLS SNI); see network.ts. */
  readonly resolveTo: string | undefined;
}

/** Bad command-line arguments: the message names every bad option; print it with {@link USAGE}. */
export class ArgsError extends Error {
  override name = 'ArgsError';
}

export const USAGE = `Usage: pnpm loadgen --url <base> [options]

Virtual users run the SPA's flows against a running testbed (the gateway's URL) and print
rate, errors and p50/p99 latency per flow.

  --url <base>             the testbed's origin, e.g. http://localhost:8080 (required)
  --users <n>              concurrent virtual users (default 5)
  --duration <s>           seconds to run; 0 = until Ctrl-C (default 60)
  --iterations <n>         journeys per user, then it stops; 0 = no limit (default 0)
  --think-time <ms>        mean pause between a user's steps (default 1000)
  --timeout <ms>           per-request timeout (default 10000)
  --max-error-rate <r>     exit 1 when errors/flows exceeds r, 0-1 (default 0.01)
  --api-key <key>          sign up in the Firebase project of this web API key instead of the
                           Auth emulator (also FIREBASE_API_KEY); use a test project
  --interval <s>           seconds between live summaries (default 5)
  --resolve-to <host>      connect to this host or IP instead of the URL's; the URL's name is still
                           sent (Host, TLS SNI), e.g. to reach the gateway's virtual host through its
                           in-cluster Service
  -h, --help               print this help`;

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `--${name} must be a number` })
    .int({ error: `--${name} must be a whole number` })
    .min(min, { error: `--${name} must be at least ${min}` })
    .max(max, { error: `--${name} must be at most ${max}` });

const schema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: '--url must be an http:// or https:// URL, e.g. http://localhost:8080' })
    .transform((value) => value.replace(/\/+$/, '')),
  users: integer('users', 1, 10_000).default(5),
  duration: integer('duration', 0, 31_536_000).default(60),
  iterations: integer('iterations', 0, 1_000_000).default(0),
  'think-time': integer('think-time', 0, 600_000).default(1_000),
  timeout: integer('timeout', 1, 600_000).default(10_000),
  'max-error-rate': z.coerce
    .number({ error: '--max-error-rate must be a number' })
    .min(0, { error: '--max-error-rate must be between 0 and 1' })
    .max(1, { error: '--max-error-rate must be between 0 and 1' })
    .default(0.01),
  'api-key': z.string().min(1, { error: '--api-key must not be empty' }).optional(),
  interval: integer('interval', 1, 3_600).default(5),
  'resolve-to': z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, { error: '--resolve-to must be a host name or an IP address, e.g. envoy.projectcontour.svc.cluster.local' })
    .optional(),
});

/**
 * Parses `pnpm loadgen` arguments (argv without node and the script). Returns null when help was
 * asked for. Throws {@link ArgsError} naming every unknown or invalid option.
 */
export function parseLoadgenArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): LoadgenOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        users: { type: 'string' },
        duration: { type: 'string' },
        iterations: { type: 'string' },
        'think-time': { type: 'string' },
        timeout: { type: 'string' },
        'max-error-rate': { type: 'string' },
        'api-key': { type: 'string' },
        interval: { type: 'string' },
        'resolve-to': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ArgsError(error instanceof Error ? error.message : String(error));
  }
  if (values['help']) return null;
  if (values['url'] === undefined) throw new ArgsError('--url is required, e.g. --url http://localhost:8080');
  const parsed = schema.safeParse({ ...values, 'api-key': values['api-key'] ?? (env['FIREBASE_API_KEY'] || undefined) });
  if (!parsed.success) throw new ArgsError(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const options = parsed.data;
  return {
    url: options.url,
    users: options.users,
    durationS: options.duration,
    iterations: options.iterations,
    thinkTimeMs: options['think-time'],
    timeoutMs: options.timeout,
    maxErrorRate: options['max-error-rate'],
    apiKey: options['api-key'],
    intervalS: options.interval,
    resolveTo: options['resolve-to'],
  };
}
