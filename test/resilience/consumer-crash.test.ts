import { keepAliveLoad } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPostsAppliedOnce } from './events.js';
import { startStack, type Stack } from './stack.js';

const BURST = 300;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.dispose();
});

describe('when event-consumer is killed with SIGKILL in the middle of a burst of writes', () => {
  it('then after its restart the feed and the stats hold every accepted write exactly once', async () => {
    const consumer = stack.services['event-consumer'];
    const load = keepAliveLoad({
      url: `${stack.services['public-api'].url}/api/public/messages`,
      connections: 4,
      body: (n) => JSON.stringify({ text: `burst-${n}` }),
    });
    // Mid-burst: events are being applied and more writes are still coming.
    await load.until((outcome) => outcome.succeeded.length >= BURST / 3);
    const feedAtKill = await stack.activityRows('testbed.message.posted');
    expect(await consumer.stop('SIGKILL')).toBeNull();
    await load.until((outcome) => outcome.completed >= BURST);
    const outcome = await load.stop();
    expect(feedAtKill, 'the kill landed before every write was applied').toBeLessThan(outcome.succeeded.length);

    // A 503 is the contract's "retry later" (a busy machine may answer it) and stored nothing;
    // anything else (a 500, a reset connection) is a fault.
    expect(outcome.failures.filter((failure) => !/^#\d+: 503 /.test(failure))).toEqual([]);
    expect(outcome.succeeded.length).toBeGreaterThan(BURST / 2);

    await consumer.start();
    await expectPostsAppliedOnce(stack, outcome.succeeded.length);
  });
});
