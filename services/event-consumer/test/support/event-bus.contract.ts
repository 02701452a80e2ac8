import { randomUUID } from 'node:crypto';
import {
  InvalidEventError,
  PermanentEventError,
  createEvent,
  type CloudEvent,
  type EventHandler,
  type EventOutbox,
  type EventSubscriber,
  type Subscription,
} from '@testbed/service-kit/events';
import { waitFor } from '@testbed/service-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';

export interface EventBusHarness {
  readonly outbox: EventOutbox;
  readonly subscriber: EventSubscriber;
  /** Ids of the events dead-lettered for `consumer`. */
  deadLetteredIds(consumer: string): Promise<string[]>;
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  readonly maxDeliver: number;
  readonly retryBackoffMs: readonly number[];
}

const options: HarnessOptions = { maxDeliver: 3, retryBackoffMs: [20, 40] };

export const messagePosted = (text = `hello ${randomUUID()}`) =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/contract-test',
    subject: randomUUID(),
    data: {
      messageId: randomUUID(),
      text,
      author: { uid: null, displayName: 'anonymous' },
      createdAt: new Date().toISOString(),
    },
  });

/** Counts deliveries per event id, so a test can tell "once" from "at least once". */
class Recorder {
  readonly deliveries = new Map<string, number>();
  readonly events = new Map<string, CloudEvent>();

  readonly handler: EventHandler = async (event) => {
    this.deliveries.set(event.id, (this.deliveries.get(event.id) ?? 0) + 1);
    this.events.set(event.id, event);
  };

  has(ids: readonly string[]): boolean {
    return ids.every((id) => this.deliveries.has(id));
  }
}

/** The behaviour every EventOutbox + EventSubscriber pair promises, whatever carries the events. */
export function eventBusContract(name: string, makeHarness: (options: HarnessOptions) => Promise<EventBusHarness>) {
  describe(`event bus contract: ${name}`, () => {
    let harness: EventBusHarness;
    const subscriptions: Subscription[] = [];
    const subscribe = async (consumer: string, handler: EventHandler) => {
      const subscription = await harness.subscriber.subscribe(consumer, handler);
      subscriptions.push(subscription);
      return subscription;
    };
    const setUp = async () => {
      harness = await makeHarness(options);
    };

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      await harness?.dispose();
    });

    it('when events are written, then a subscriber receives each once with its envelope intact', async () => {
      await setUp();
      const recorder = new Recorder();
      await subscribe('feed', recorder.handler);
      const traced = createEvent({
        type: 'testbed.user.signed_in',
        source: '/auth-service',
        subject: 'uid-1',
        data: { uid: 'uid-1', method: 'password' },
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      const events = [
        messagePosted(),
        traced,
        createEvent({ type: 'testbed.profile.updated', source: '/secure-api', data: { uid: 'uid-1', displayName: 'Ada' } }),
      ];

      await harness.outbox.write(events);
      harness.outbox.nudge();

      await waitFor(async () => recorder.has(events.map((e) => e.id)), { what: 'all events delivered' });
      for (const event of events) expect(recorder.events.get(event.id)).toEqual(event);
      expect([...recorder.deliveries.values()]).toEqual([1, 1, 1]);
    });

    it('when two subscribers share a consumer name, then each event is handled by exactly one of them', async () => {
      await setUp();
      const first = new Recorder();
      const second = new Recorder();
      await subscribe('shared', first.handler);
      await subscribe('shared', second.handler);
      const events = Array.from({ length: 40 }, () => messagePosted());

      await harness.outbox.write(events);
      harness.outbox.nudge();

      const ids = events.map((e) => e.id);
      await waitFor(async () => ids.every((id) => first.deliveries.has(id) || second.deliveries.has(id)), {
        what: 'all events delivered to the group',
      });
      for (const id of ids) expect((first.deliveries.get(id) ?? 0) + (second.deliveries.get(id) ?? 0)).toBe(1);
    });

    it('when two consumers have different names, then each receives every event', async () => {
      await setUp();
      const feed = new Recorder();
      const stats = new Recorder();
      await subscribe('feed', feed.handler);
      await subscribe('stats', stats.handler);
      const events = Array.from({ length: 5 }, () => messagePosted());

      await harness.outbox.write(events);
      harness.outbox.nudge();

      const ids = events.map((e) => e.id);
      await waitFor(async () => feed.has(ids) && stats.has(ids), { what: 'both consumers got every event' });
    });

    it('when a consumer subscribes after events were written, then it still receives them', async () => {
      await setUp();
      const events = Array.from({ length: 3 }, () => messagePosted());
      await harness.outbox.write(events);
      harness.outbox.nudge();

      const late = new Recorder();
      await subscribe('late', late.handler);

      await waitFor(async () => late.has(events.map((e) => e.id)), { what: 'history delivered' });
    });

    it('when a handler fails, then the event comes again with a higher delivery count until it succeeds', async () => {
      await setUp();
      const counts: number[] = [];
      await subscribe('flaky', async (_event, context) => {
        counts.push(context.deliveryCount);
        if (context.deliveryCount < 2) throw new Error('transient');
      });

      await harness.outbox.write([messagePosted()]);
      harness.outbox.nudge();

      await waitFor(async () => counts.length === 2, { what: 'second delivery' });
      expect(counts).toEqual([1, 2]);
      expect(await harness.deadLetteredIds('flaky')).toEqual([]);
    });

    it('when a handler always fails for one event, then it is dead-lettered after maxDeliver while the others flow', async () => {
      await setUp();
      const poison = messagePosted('poison');
      const healthy = Array.from({ length: 5 }, () => messagePosted());
      const recorder = new Recorder();
      const attempts: number[] = [];
      await subscribe('picky', async (event, context) => {
        if (event.id === poison.id) {
          attempts.push(context.deliveryCount);
          throw new Error('cannot handle this one');
        }
        await recorder.handler(event, context);
      });

      await harness.outbox.write([poison, ...healthy]);
      harness.outbox.nudge();

      await waitFor(async () => recorder.has(healthy.map((e) => e.id)), { what: 'healthy events' });
      await waitFor(async () => (await harness.deadLetteredIds('picky')).includes(poison.id), { what: 'dead letter' });
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('when a handler fails with a permanent error, then the event is dead-lettered on its first delivery', async () => {
      await setUp();
      const event = messagePosted();
      const attempts: number[] = [];
      await subscribe('strict', async (_event, context) => {
        attempts.push(context.deliveryCount);
        throw new PermanentEventError('data no retry can store');
      });

      await harness.outbox.write([event]);
      harness.outbox.nudge();

      await waitFor(async () => (await harness.deadLetteredIds('strict')).includes(event.id), { what: 'dead letter' });
      expect(attempts).toEqual([1]);
    });

    it('when an event is malformed, then writing it is rejected', async () => {
      await setUp();
      const broken = { ...messagePosted(), data: { text: 'no author' } } as unknown as CloudEvent;

      await expect(harness.outbox.write([broken])).rejects.toBeInstanceOf(InvalidEventError);
    });
  });
}
