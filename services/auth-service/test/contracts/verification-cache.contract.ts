import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerificationCache } from '../../src/domain/ports.js';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What every VerificationCache must do, whichever store is behind it. */
export function verificationCacheContract(name: string, makeCache: () => VerificationCache): void {
  describe(`VerificationCache contract: ${name}`, () => {
    it('when nothing was stored under a hash, then get finds nothing', async () => {
      await expect(makeCache().get(randomUUID())).resolves.toBeUndefined();
    });

    it('when claims were stored, then get returns them unchanged', async () => {
      const cache = makeCache();
      const stored = claims();
      const hash = randomUUID();

      await cache.set(hash, stored, 60);

      await expect(cache.get(hash)).resolves.toEqual(stored);
    });

    it('when the TTL has passed, then the entry is gone', async () => {
      const cache = makeCache();
      const hash = randomUUID();
      await cache.set(hash, claims(), 1);

      await sleep(1_100);

      await expect(cache.get(hash)).resolves.toBeUndefined();
    });

    it('when the TTL is zero, then nothing is stored', async () => {
      const cache = makeCache();
      const hash = randomUUID();

      await cache.set(hash, claims(), 0);

      await expect(cache.get(hash)).resolves.toBeUndefined();
    });

    it('when a hash is stored again, then the newer claims win', async () => {
      const cache = makeCache();
      const hash = randomUUID();
      const newer = claims();
      await cache.set(hash, claims(), 60);

      await cache.set(hash, newer, 60);

      await expect(cache.get(hash)).resolves.toEqual(newer);
    });
  });
}
