import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionStateStore } from '../../src/domain/ports.js';

/** What every SessionStateStore must do, whichever store is behind it. */
export function sessionStateContract(name: string, makeStore: () => SessionStateStore): void {
  describe(`SessionStateStore contract: ${name}`, () => {
    const uid = () => `uid-${randomUUID()}`;

    it('when the first iat is recorded, then it is the newest', async () => {
      await expect(makeStore().recordIssuedAt(uid(), 1_000)).resolves.toBe(1_000);
    });

    it('when an older iat comes after a newer one, then the newer stays the newest', async () => {
      const store = makeStore();
      const user = uid();
      await store.recordIssuedAt(user, 2_000);

      await expect(store.recordIssuedAt(user, 1_000)).resolves.toBe(2_000);
      await expect(store.recordIssuedAt(user, 2_000)).resolves.toBe(2_000);
      await expect(store.recordIssuedAt(user, 3_000)).resolves.toBe(3_000);
    });

    it('when users differ, then their iats do not mix', async () => {
      const store = makeStore();
      await store.recordIssuedAt(uid(), 5_000);

      await expect(store.recordIssuedAt(uid(), 1_000)).resolves.toBe(1_000);
    });

    it('when many iats race for one user, then the largest wins', async () => {
      const store = makeStore();
      const user = uid();
      const values = Array.from({ length: 50 }, (_, i) => 1_000 + ((i * 37) % 50));

      await Promise.all(values.map((value) => store.recordIssuedAt(user, value)));

      await expect(store.recordIssuedAt(user, 0)).resolves.toBe(Math.max(...values));
    });

    it('when an auth_time is seen for the first time, then it is a new sign-in, and only once', async () => {
      const store = makeStore();
      const user = uid();

      await expect(store.recordSignIn(user, 1_000)).resolves.toBe(true);
      await expect(store.recordSignIn(user, 1_000)).resolves.toBe(false);
    });

    it('when an older auth_time shows up after a newer one, then it is not a new sign-in', async () => {
      const store = makeStore();
      const user = uid();
      await store.recordSignIn(user, 2_000);

      await expect(store.recordSignIn(user, 1_000)).resolves.toBe(false);
      await expect(store.recordSignIn(user, 3_000)).resolves.toBe(true);
    });

    it('when the same new auth_time races on many calls, then exactly one call reports it', async () => {
      const store = makeStore();
      const user = uid();

      const results = await Promise.all(Array.from({ length: 20 }, () => store.recordSignIn(user, 4_000)));

      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('when a sign-in is recorded, then it and older ones count as announced, newer ones do not', async () => {
      const store = makeStore();
      const user = uid();
      await expect(store.isSignInAnnounced(user, 5_000)).resolves.toBe(false);

      await store.recordSignIn(user, 5_000);

      await expect(store.isSignInAnnounced(user, 5_000)).resolves.toBe(true);
      await expect(store.isSignInAnnounced(user, 4_000)).resolves.toBe(true);
      await expect(store.isSignInAnnounced(user, 6_000)).resolves.toBe(false);
    });

    it('when sign-ins and iats are recorded for one user, then they do not affect each other', async () => {
      const store = makeStore();
      const user = uid();
      await store.recordIssuedAt(user, 9_000);

      await expect(store.recordSignIn(user, 1_000)).resolves.toBe(true);
    });
  });
}
