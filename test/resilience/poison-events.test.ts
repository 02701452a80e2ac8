import { randomUUID } from 'node:crypto';
import { connectNats, createLogger } from '@testbed/service-kit';
import { createEvent, listDeadLetters, subjectForType, topologyFor } from '@testbed/service-kit/events';
import { publishToStream, waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPostsAppliedOnce, postAccepted } from './events.js';
import { RECOVERY_CAP_MS } from './requests.js';
import { startStack, type Stack } from './stack.js';

// docs/events.md: an event that can never be handled (not a valid event, or data the read models
// refuse) goes to the dead-letter stream on its first delivery, and the events behind it flow on.
const HEALTHY = 10;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.dispose();
});

describe('when poison events reach the consumers', () => {
  it('then each is dead-lettered by both consumers on its first delivery, and the writes behind them are applied exactly once', async () => {
    const subject = subjectForType('testbed.message.posted', topologyFor(undefined).subjectPrefix);
    const notAnEvent = { subject, payload: '{"specversion":"1.0","id":"not-an-event"}', msgId: `poison-${randomUUID()}` };
    // A valid CloudEvents time whose UTC instant is before year 0: no DATETIME column can hold it.
    const unstorable = {
      ...createEvent({
        type: 'testbed.message.posted',
        source: '/resilience-test',
        data: {
          messageId: randomUUID(),
          text: 'from before the calendar',
          author: { uid: null, displayName: 'anonymous' },
          createdAt: new Date().toISOString(),
        },
      }),
      time: '0000-01-01T00:00:00+01:00',
    };
    await publishToStream(stack.nats.url, [notAnEvent, { subject, payload: JSON.stringify(unstorable), msgId: unstorable.id }]);
    await postAccepted(stack, HEALTHY, 'behind-the-poison');

    const nc = await connectNats(stack.nats.url, 'resilience-test', createLogger({ service: 'resilience-test', level: 'silent' }));
    try {
      const letters = async () => (await listDeadLetters(nc)).map((l) => [l.eventId, l.consumer, l.deliveries, l.kind].join(' ')).sort();
      await waitFor(async () => (await letters()).length >= 4, { timeoutMs: RECOVERY_CAP_MS, what: 'four dead letters' }).catch(() => undefined);
      expect(await letters()).toEqual(
        [
          `not-an-event activity-feed 1 permanent`,
          `not-an-event stats 1 permanent`,
          `${unstorable.id} activity-feed 1 permanent`,
          `${unstorable.id} stats 1 permanent`,
        ].sort(),
      );
    } finally {
      await nc.close();
    }
    await expectPostsAppliedOnce(stack, HEALTHY);
  });
});
