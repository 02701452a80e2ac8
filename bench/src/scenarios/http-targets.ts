// Targets shared by the HTTP scenarios: one page of the message board, and posting a message.
import type { RowDataPacket } from 'mysql2/promise';
import { httpLoad, preciseHttpLoad } from '../load/http-load.js';
import type { BenchContext, LoadOutcome, Target } from '../scenario.js';

export const LIST_PATH = '/api/public/messages?limit=20';
export const POST_PATH = '/api/public/messages';

/** Closed-loop GETs of `path` on the base URL `baseOf` picks, with `connections` connections. */
export function getTarget(
  description: string,
  baseOf: (ctx: BenchContext) => string,
  path: string,
  options: {
    connections?: (ctx: BenchContext) => number;
    headers?: (ctx: BenchContext) => Record<string, string>;
    /** Time each request to the microsecond (see preciseHttpLoad) instead of autocannon's milliseconds. */
    precise?: boolean;
  } = {},
): Target {
  return {
    description,
    run: (ctx, durationS): Promise<LoadOutcome> =>
      (options.precise ? preciseHttpLoad : httpLoad)({
        url: `${baseOf(ctx)}${path}`,
        connections: options.connections?.(ctx) ?? ctx.settings.connections,
        durationS,
        ...(options.headers ? { headers: options.headers(ctx) } : {}),
      }),
  };
}

let posted = 0;
/** A distinct anonymous message per request (the text is what a user would type; 201 is success). */
export const messageBody = (): string => JSON.stringify({ text: `bench message ${++posted}`, author: 'bench' });

export function postTarget(description: string, baseOf: (ctx: BenchContext) => string): Target {
  return {
    description,
    run: (ctx, durationS) =>
      httpLoad({
        url: `${baseOf(ctx)}${POST_PATH}`,
        method: 'POST',
        makeBody: messageBody,
        connections: ctx.settings.connections,
        durationS,
        expectStatus: 201,
      }),
  };
}

/** Posts through public-api until the board holds at least `count` messages, so a page is full (limit=20 plus a next cursor). */
export async function ensureMessages(ctx: BenchContext, count: number): Promise<void> {
  const [rows] = await ctx.mysql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM messages');
  const missing = count - Number(rows[0]?.['n'] ?? 0);
  if (missing <= 0) return;
  const result = await httpLoad({
    url: `${ctx.stack.publicApiUrl}${POST_PATH}`,
    method: 'POST',
    makeBody: messageBody,
    connections: 4,
    amount: missing,
    expectStatus: 201,
  });
  if (result.errors > 0) throw new Error(`seeding ${missing} messages: ${result.errors} posts failed`);
}
