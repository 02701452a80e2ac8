import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@testbed/service-kit/testing';
import { expect } from 'vitest';
import { RECOVERY_CAP_MS, postMessage, siteStats, untilAnswers } from './requests.js';
import type { Stack } from './stack.js';

/** The stack's event-consumer gives an unacknowledged event back after EVENT_ACK_WAIT_S (3 s). */
const REDELIVERY_WINDOW_MS = 3_000 + 2_000;

/**
 * Posts `count` messages one after another and resolves once each was accepted (201). A 503 is
 * the contract's "retry later" and nothing was stored, so it is retried, as a client would; an
 * outage that wrongly turned posts into 503s fails the poll.
 */
export async function postAccepted(stack: Stack, count: number, label: string): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    await untilAnswers(`post ${label}-${n} to be accepted`, () => postMessage(stack, `${label}-${n}`), 201);
  }
}

/**
 * Every one of `expected` posts applied exactly once: the activity feed has one row per post and
 * the stats count each once, also after a redelivery window has passed, and the outbox is empty.
 */
export async function expectPostsAppliedOnce(stack: Stack, expected: number): Promise<void> {
  const state = async () => ({
    feed: await stack.activityRows('testbed.message.posted'),
    stats: (await siteStats(stack)).messages,
    unsent: await stack.unsentEvents(),
  });
  await waitFor(
    async () => {
      const now = await state();
      return now.feed >= expected && now.stats >= expected && now.unsent === 0;
    },
    { timeoutMs: RECOVERY_CAP_MS, intervalMs: 250, what: `${expected} posts in the feed and the stats` },
  ).catch(() => undefined);
  expect(await state()).toEqual({ feed: expected, stats: expected, unsent: 0 });
  // A second application would come from a redelivery: give it the time to happen.
  await sleep(REDELIVERY_WINDOW_MS);
  expect(await state()).toEqual({ feed: expected, stats: expected, unsent: 0 });
}
