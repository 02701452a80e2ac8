import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPostsAppliedOnce, postAccepted } from './events.js';
import { startStack, type Stack } from './stack.js';

// docs/events.md: an accepted write's event waits in the outbox while NATS is away; relays and
// consumers reconnect on their own, and create the stream and durables again when NATS lost them.
const POSTS = 20;

let stack: Stack;
let posted = 0;

beforeAll(async () => {
  stack = await startStack();
  await postAccepted(stack, POSTS, 'before');
  posted += POSTS;
  await expectPostsAppliedOnce(stack, posted);
});

afterAll(async () => {
  await stack?.dispose();
});

const noServiceRestarted = () => {
  for (const service of Object.values(stack.services)) expect(service.process?.child.exitCode, service.name).toBeNull();
};

describe('when NATS is stopped', () => {
  it('then writes are still accepted, and once it is back every event is applied exactly once, without a service restart', async () => {
    await stack.nats.stop();
    try {
      await postAccepted(stack, POSTS, 'nats-down');
      posted += POSTS;
    } finally {
      await stack.nats.start();
    }
    await expectPostsAppliedOnce(stack, posted);
    noServiceRestarted();
  });
});

describe('when NATS comes back with an empty store (streams and durables lost)', () => {
  it('then writes are accepted, the streams come back, and every new event is applied exactly once, without a service restart', async () => {
    await stack.nats.stop();
    await stack.nats.wipeStore();
    await stack.nats.start();
    await postAccepted(stack, POSTS, 'store-lost');
    posted += POSTS;
    await expectPostsAppliedOnce(stack, posted);
    noServiceRestarted();
  });
});
