import { describe, expect, it } from 'vitest';
import type { VerifiedClaims } from '../../domain/session.js';
import { ISSUED_AT_TTL_S } from '../session-state-ttl.js';
import { MemorySessionStateStore } from './memory-session-state.js';
import { MemoryVerificationCache } from './memory-verification-cache.js';

const claims = { uid: 'u' } as VerifiedClaims;

describe('MemorySessionStateStore', () => {
  it('when the newest iat has outlived its TTL, then it is forgotten', async () => {
    let now = 0;
    const store = new MemorySessionStateStore(() => now);
    await store.recordIssuedAt('u', 2_000);

    now += ISSUED_AT_TTL_S * 1000 + 1;

    await expect(store.recordIssuedAt('u', 1_000)).resolves.toBe(1_000);
  });

  it('when the iat is refreshed before its TTL, then it is kept', async () => {
    let now = 0;
    const store = new MemorySessionStateStore(() => now);
    await store.recordIssuedAt('u', 2_000);
    now += ISSUED_AT_TTL_S * 1000 - 1;
    await store.recordIssuedAt('u', 1_500);

    now += 2;

    await expect(store.recordIssuedAt('u', 1_000)).resolves.toBe(2_000);
  });
});

describe('MemoryVerificationCache', () => {
  it('when it is full, then the oldest entry makes room', async () => {
    const cache = new MemoryVerificationCache(new MemorySessionStateStore(), 2);
    await cache.set('a', claims, 60);
    await cache.set('b', claims, 60);

    await cache.set('c', claims, 60);

    await expect(cache.lookup('a')).resolves.toBeUndefined();
    await expect(cache.lookup('b')).resolves.toMatchObject({ claims });
    await expect(cache.lookup('c')).resolves.toMatchObject({ claims });
  });
});
