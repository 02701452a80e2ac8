import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEvent, type CloudEvent } from '@testbed/service-kit/events';
import { profileUpdated } from '../src/domain/profile-events.js';
import type { ProfileStore } from '../src/domain/profile.store.js';

/**
 * What every ProfileStore must do, run against the MySQL and the in-memory implementation so
 * `pnpm dev` without MySQL behaves like production.
 */
export function profileStoreContract(
  name: string,
  store: () => ProfileStore,
  /** The events the store has recorded for delivery about `uid` (outbox rows, or what the bus delivered). */
  recordedEventsFor: (uid: string) => Promise<CloudEvent[]>,
): void {
  const newUid = () => `uid-${randomUUID()}`;

  describe(`ProfileStore contract: ${name}`, () => {
    it('when a profile does not exist, then find answers undefined and stores nothing', async () => {
      const uid = newUid();
      expect(await store().find(uid)).toBeUndefined();
      expect(await store().find(uid)).toBeUndefined();
      expect(await store().delete(uid)).toBe(false);
    });

    it('when a profile is saved the first time, then createdAt and updatedAt are the same instant', async () => {
      const uid = newUid();
      const saved = await store().save(uid, { displayName: 'Ada', bio: '' });
      expect(saved.createdAt).toBeInstanceOf(Date);
      expect(saved.updatedAt.getTime()).toBe(saved.createdAt.getTime());
      expect(await store().find(uid)).toEqual(saved);
    });

    it('when a profile is saved again, then the new values are returned and kept, and createdAt stays', async () => {
      const uid = newUid();
      const created = await store().save(uid, { displayName: 'Ada', bio: '' });
      const saved = await store().save(uid, { displayName: 'Ada Lovelace', bio: 'Analytical engines' });
      expect(saved).toMatchObject({ uid, displayName: 'Ada Lovelace', bio: 'Analytical engines' });
      expect(saved.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
      expect(await store().find(uid)).toEqual(saved);
    });

    it('when a profile that does not exist is saved, then it is created with those values', async () => {
      const uid = newUid();
      const saved = await store().save(uid, { displayName: 'Grace', bio: 'COBOL' });
      expect(saved).toMatchObject({ uid, displayName: 'Grace', bio: 'COBOL' });
    });

    it('when values use the full length and non-ASCII characters, then they round-trip exactly', async () => {
      const uid = newUid();
      const displayName = 'Zoë 名前 🚀'.padEnd(50, 'x');
      const bio = 'ü'.repeat(280);
      const saved = await store().save(uid, { displayName, bio });
      expect(saved.displayName).toBe(displayName);
      expect(saved.bio).toBe(bio);
    });

    it('when a profile is deleted, then it is gone and the next save starts afresh', async () => {
      const uid = newUid();
      const old = await store().save(uid, { displayName: 'Old name', bio: 'old bio' });
      expect(await store().delete(uid)).toBe(true);
      expect(await store().find(uid)).toBeUndefined();
      const recreated = await store().save(uid, { displayName: 'New', bio: '' });
      expect(recreated).toMatchObject({ displayName: 'New', bio: '' });
      expect(recreated.createdAt.getTime()).toBeGreaterThanOrEqual(old.createdAt.getTime());
    });

    it('when a profile that does not exist is deleted, then delete reports false', async () => {
      expect(await store().delete(newUid())).toBe(false);
    });

    it('when uids differ, then profiles do not leak into each other', async () => {
      const [a, b] = [newUid(), newUid()];
      await store().save(a, { displayName: 'A', bio: 'a' });
      await store().save(b, { displayName: 'B', bio: 'b' });
      await store().delete(a);
      expect(await store().find(a)).toBeUndefined();
      expect(await store().find(b)).toMatchObject({ displayName: 'B' });
    });

    it('when a profile is saved with its event, then the event is recorded exactly once with the change', async () => {
      const uid = newUid();
      const event = profileUpdated(uid, { displayName: 'Evented', bio: '' });
      await store().save(uid, { displayName: 'Evented', bio: '' }, [event]);
      const recorded = await recordedEventsFor(uid);
      expect(recorded.map((e) => e.id)).toEqual([event.id]);
      expect(recorded[0]).toMatchObject({ type: 'testbed.profile.updated', data: { uid, displayName: 'Evented' } });
    });

    it('when the event cannot be recorded, then the profile change is not kept either', async () => {
      const uid = newUid();
      await store().save(uid, { displayName: 'Before', bio: 'before' });
      // A producer bug: the outbox refuses an event that breaks its schema, inside the transaction.
      const broken = {
        ...createEvent({ type: 'testbed.profile.updated', source: '/test', subject: uid, data: { uid, displayName: null } }),
        data: { uid: '' },
      } as unknown as CloudEvent;
      await expect(store().save(uid, { displayName: 'After', bio: 'after' }, [broken])).rejects.toThrow();
      expect(await store().find(uid)).toMatchObject({ displayName: 'Before', bio: 'before' });
      expect(await recordedEventsFor(uid)).toEqual([]);
    });

    it('when the store is up, then ping resolves', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
