import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SessionStateStore, VerificationCache } from '../../src/domain/ports.js';
import type { VerifiedClaims } from '../../src/domain/session.js';

const claims = (): VerifiedClaims => ({
  uid: `uid-${randomUUID()}`,
  email: 'someone@example.test',
  emailVerified: true,
  displayName: 'Someone',
  signInProvider: 'password',
  authTime: 1_700_000_000,
  issuedAt: 1_700_000_100,
  expiresAt: 1_700_003_700,
});

/**
 * What every VerificationCache must do, whichever store is behind it. `makeStores` gives a cache
 * and the session state it reads on a hit (the same store underneath).
 */
export function verificationCacheContract(name: string, makeStores: () => { cache: VerificationCache; sessionState: SessionStateStore }): void {
  const makeCache = () => makeStores().cache;
  const get = async (cache: VerificationCache, hash: string) => (await cache.lookup(hash))?.claims;

  describe(`VerificationCache contract: ${name}`, () => {
    it('when a hit is looked up, then the newest iat is recorded and returned with the announced state, in one step', async () => {
      const { cache, sessionState } = makeStores();
      const stored = claims();
      const hash = randomUUID();
      await cache.set(hash, stored, 60);

      // Nothing recorded yet: the hit records its own iat.
      await expect(cache.lookup(hash)).resolves.toEqual({ claims: stored, newestIssuedAt: stored.issuedAt, signInAnnounced: false });
      await expect(sessionState.recordIssuedAt(stored.uid, 1)).resolves.toBe(stored.issuedAt);

      // A newer token seen since, and the sign-in announced: both come back with the hit.
      await sessionState.recordIssuedAt(stored.uid, stored.issuedAt + 50);
      await sessionState.recordSignIn(stored.uid, stored.authTime);
      await expect(cache.lookup(hash)).resolves.toEqual({
        claims: stored,
        newestIssuedAt: stored.issuedAt + 50,
        signInAnnounced: true,
      });
    });

    it('when a miss is looked up, then no session state is touched', async () => {
      const { cache, sessionState } = makeStores();
      const uid = claims().uid;
      await expect(cache.lookup(randomUUID())).resolves.toBeUndefined();
      await expect(sessionState.recordIssuedAt(uid, 5)).resolves.toBe(5);
    });

    it('when nothing was stored under a hash, then lookup finds nothing', async () => {
      await expect(get(makeCache(), randomUUID())).resolves.toBeUndefined();
    });

    it('when claims were stored, then lookup returns them unchanged', async () => {
      const cache = makeCache();
      const stored = claims();
      const hash = randomUUID();

      await cache.set(hash, stored, 60);

      await expect(get(cache, hash)).resolves.toEqual(stored);
    });

    it('when the TTL has passed, then the entry is gone', async () => {
      const cache = makeCache();
      const hash = randomUUID();
      await cache.set(hash, claims(), 1);

      await sleep(1_100);

      await expect(get(cache, hash)).resolves.toBeUndefined();
    });

    it('when the TTL is zero, then nothing is stored', async () => {
      const cache = makeCache();
      const hash = randomUUID();

      await cache.set(hash, claims(), 0);

      await expect(get(cache, hash)).resolves.toBeUndefined();
    });

    it('when a hash is stored again, then the newer claims win', async () => {
      const cache = makeCache();
      const hash = randomUUID();
      const newer = claims();
      await cache.set(hash, claims(), 60);

      await cache.set(hash, newer, 60);

      await expect(get(cache, hash)).resolves.toEqual(newer);
    });
  });
}
