import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { httpLoad } from '../load/http-load.js';
import type { BenchContext, LoadOutcome, Scenario } from '../scenario.js';
import { messageBody, POST_PATH } from './http-targets.js';

const POLL_MS = 100;
const SETTLE_MS = 1_000;
const DRAIN_TIMEOUT_MS = 300_000;

interface Applied {
  /** testbed.message.posted rows in the activity feed (MySQL). */
  readonly feed: number;
  /** The messages counter of the public stats (Redis), as event-consumer's read API serves it. */
  readonly stats: number;
}

async function applied(ctx: BenchContext): Promise<Applied> {
  const [[rows], stats] = await Promise.all([
    ctx.mysql.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM activity WHERE type = 'testbed.message.posted'"),
    fetch(`${ctx.stack.readModelsUrl}/read-models/stats`).then(async (response) => (await response.json()) as { messages: number }),
  ]);
  return { feed: Number(rows[0]?.['n'] ?? 0), stats: stats.messages };
}

/** Waits until nothing moves for SETTLE_MS: the events of earlier scenarios have all been applied. */
async function settled(ctx: BenchContext): Promise<Applied> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let last = await applied(ctx);
  let stableSince = Date.now();
  while (Date.now() - stableSince < SETTLE_MS) {
    if (Date.now() > deadline) throw new Error('the event pipeline did not settle before the burst');
    await sleep(POLL_MS);
    const now = await applied(ctx);
    if (now.feed !== last.feed || now.stats !== last.stats) stableSince = Date.now();
    last = now;
  }
  return last;
}

/**
 * One burst: `burst` posts to public-api as fast as `connections` clients go, then the time until
 * the activity feed (MySQL) and the stats (Redis) both hold every one of them. Events per second
 * end to end = burst / that time; the write phase alone is reported as `writesPerS`.
 */
async function burst(ctx: BenchContext): Promise<LoadOutcome> {
  const { burst: size, connections } = ctx.settings;
  const before = await settled(ctx);
  const started = performance.now();
  const writes = await httpLoad({
    url: `${ctx.stack.publicApiUrl}${POST_PATH}`,
    method: 'POST',
    makeBody: messageBody,
    connections,
    amount: size,
    expectStatus: 201,
  });
  const written = performance.now();
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const now = await applied(ctx);
    if (now.feed - before.feed >= writes.requests && now.stats - before.stats >= writes.requests) break;
    if (Date.now() > deadline) throw new Error(`events still missing after ${DRAIN_TIMEOUT_MS / 1000}s: ${JSON.stringify({ before, now })}`);
    await sleep(POLL_MS / 2);
  }
  const seconds = (performance.now() - started) / 1000;
  const writeSeconds = (written - started) / 1000;
  return {
    requests: writes.requests,
    errors: writes.errors,
    seconds,
    p50Ms: null,
    p99Ms: null,
    extra: { writesPerS: writes.requests / writeSeconds, drainAfterWritesS: seconds - writeSeconds },
  };
}

/** The event pipeline end to end: public-api outbox → relay → JetStream → event-consumer → MySQL feed and Redis stats. */
export const events: Scenario = {
  id: 'events',
  title: 'Event pipeline: burst of posts → outbox → JetStream → consumer → MySQL + Redis',
  concurrency: (settings) => settings.burst,
  warmUp: false,
  product: { description: 'events applied per second, end to end', run: (ctx) => burst(ctx) },
};
