import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, createLogger } from '@testbed/service-kit';
import { describe, expect, it } from 'vitest';
import { MemorySessionStateStore } from '../adapters/memory/memory-session-state.js';
import { MemoryVerificationCache } from '../adapters/memory/memory-verification-cache.js';
import type { CloudEvent } from '@testbed/service-kit/events';
import { signInEventId } from './events.js';
import type { CacheResult, SessionStateStore, TokenVerifier, VerificationCache } from './ports.js';
import type { VerifiedClaims } from './session.js';
import { hashToken, MAX_ID_TOKEN_LENGTH, VerifyToken } from './verify-token.js';

const T0 = 1_700_000_000;

// Tokens whose name starts with "older" come from an earlier sign-in than the others; "future"
// tokens claim to be issued 30 s from now.
const claimsFor = (token: string): VerifiedClaims => ({
  uid: 'uid-1',
  email: 'a@example.test',
  emailVerified: true,
  displayName: '',
  signInProvider: 'password',
  authTime: T0,
  issuedAt: T0,
  expiresAt: T0 + 3_600,
  ...(token.startsWith('older') ? { issuedAt: T0 - 100, authTime: T0 - 100, expiresAt: T0 - 100 + 3_600 } : {}),
  ...(token.startsWith('future') ? { issuedAt: T0 + 30, authTime: T0 + 30, expiresAt: T0 + 30 + 3_600 } : {}),
});

function setUp(
  overrides: {
    cache?: VerificationCache;
    sessionState?: SessionStateStore;
    failPublish?: () => boolean;
    storeBudgetMs?: number;
  } = {},
) {
  let now = T0;
  const verified: Array<{ token: string; checkRevoked: boolean }> = [];
  const timeouts: Array<number | undefined> = [];
  const cacheResults: CacheResult[] = [];
  const events: CloudEvent[] = [];
  const verifier: TokenVerifier = {
    verify: async (token, checkRevoked, options) => {
      verified.push({ token, checkRevoked });
      timeouts.push(options?.timeoutMs);
      if (token === 'bad') throw new AppError('unauthenticated', 'invalid token');
      if (token === 'slow') {
        // As FirebaseTokenVerifier does when its wait runs out.
        await sleep(options?.timeoutMs ?? 0);
        throw new AppError('unavailable', 'token verification timed out');
      }
      return claimsFor(token);
    },
  };
  const sessionState = overrides.sessionState ?? new MemorySessionStateStore();
  const useCase = new VerifyToken({
    verifier,
    cache: overrides.cache ?? new MemoryVerificationCache(sessionState),
    sessionState,
    events: {
      publish: async (event) => {
        if (overrides.failPublish?.()) throw new Error('broker down');
        events.push(event);
      },
    },
    observer: { cache: (result) => cacheResults.push(result) },
    clock: () => now,
    logger: createLogger({ service: 'test', level: 'silent' }),
    freshAuthWindowS: 300,
    storeBudgetMs: overrides.storeBudgetMs ?? 1_000,
    verifierTimeoutMs: 1_000,
  });
  return { useCase, verified, timeouts, cacheResults, events, advance: (s: number) => (now += s) };
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const hangingCache: VerificationCache = { lookup: never, set: never };
const hangingState: SessionStateStore = { recordIssuedAt: never, isSignInAnnounced: never, recordSignIn: never };

const failing = { lookup: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) };
const failingState: SessionStateStore = {
  recordIssuedAt: () => Promise.reject(new Error('down')),
  isSignInAnnounced: () => Promise.reject(new Error('down')),
  recordSignIn: () => Promise.reject(new Error('down')),
};

describe('VerifyToken', () => {
  it('when the token is empty or blank, then it is an invalid argument and nothing is verified', async () => {
    const { useCase, verified } = setUp();

    await expect(useCase.execute('', { checkRevoked: false })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(useCase.execute('  ', { checkRevoked: false })).rejects.toMatchObject({ kind: 'invalid-argument' });
    expect(verified).toEqual([]);
  });

  it('when a token is verified twice, then the second answer comes from the cache', async () => {
    const { useCase, verified, cacheResults } = setUp();

    const first = await useCase.execute('tok', { checkRevoked: false });
    const second = await useCase.execute('tok', { checkRevoked: false });

    expect(verified).toHaveLength(1);
    expect(cacheResults).toEqual(['miss', 'hit']);
    expect(second).toEqual(first);
  });

  it('when the cache is keyed, then it uses the sha256 of the token, never the token', async () => {
    const cache = new MemoryVerificationCache(new MemorySessionStateStore());
    const { useCase } = setUp({ cache });

    await useCase.execute('tok', { checkRevoked: false });

    await expect(cache.lookup(hashToken('tok'))).resolves.toMatchObject({ claims: { uid: 'uid-1' } });
    await expect(cache.lookup('tok')).resolves.toBeUndefined();
    expect(hashToken('tok')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when check_revoked is asked, then the cache is bypassed but refreshed', async () => {
    const { useCase, verified, cacheResults } = setUp();

    await useCase.execute('tok', { checkRevoked: true });
    await useCase.execute('tok', { checkRevoked: false });

    expect(verified).toEqual([{ token: 'tok', checkRevoked: true }]);
    expect(cacheResults).toEqual(['bypass', 'hit']);
  });

  it('when the token is rejected, then the error passes through and nothing is cached', async () => {
    const { useCase, verified } = setUp();

    await expect(useCase.execute('bad', { checkRevoked: false })).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(useCase.execute('bad', { checkRevoked: false })).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(verified).toHaveLength(2);
  });

  it('when the cache fails, then verification still works and the errors are counted', async () => {
    const { useCase, verified, cacheResults } = setUp({ cache: failing });

    const session = await useCase.execute('tok', { checkRevoked: false });

    expect(session.uid).toBe('uid-1');
    expect(verified).toHaveLength(1);
    // Once the store failed, this verification does not wait on it again (no write attempt).
    expect(cacheResults).toEqual(['error']);
  });

  it('when time passes while the verification is cached, then the level is recomputed', async () => {
    const { useCase, advance } = setUp();
    expect((await useCase.execute('tok', { checkRevoked: false })).level).toBe('AUTH_LEVEL_AUTHENTICATED');

    advance(301);

    expect((await useCase.execute('tok', { checkRevoked: false })).level).toBe('AUTH_LEVEL_AUTHORIZED');
  });

  it('when a token is cached, then its verification asks the stores once: the lookup brings the session state along', async () => {
    const state = new MemorySessionStateStore();
    const cache = new MemoryVerificationCache(state);
    const calls: string[] = [];
    const countedState: SessionStateStore = {
      recordIssuedAt: (uid, issuedAt) => (calls.push('recordIssuedAt'), state.recordIssuedAt(uid, issuedAt)),
      isSignInAnnounced: (uid, authTime) => (calls.push('isSignInAnnounced'), state.isSignInAnnounced(uid, authTime)),
      recordSignIn: (uid, authTime) => (calls.push('recordSignIn'), state.recordSignIn(uid, authTime)),
    };
    const countedCache: VerificationCache = {
      lookup: (hash) => (calls.push('lookup'), cache.lookup(hash)),
      set: (hash, claims, ttlS) => (calls.push('set'), cache.set(hash, claims, ttlS)),
    };
    const { useCase, events } = setUp({ cache: countedCache, sessionState: countedState });
    await useCase.execute('tok', { checkRevoked: false });
    await useCase.announcementsSettled();
    expect(events).toHaveLength(1);
    calls.length = 0;

    const session = await useCase.execute('tok', { checkRevoked: false });
    await useCase.announcementsSettled();

    expect(calls).toEqual(['lookup']);
    expect(session.level).toBe('AUTH_LEVEL_AUTHENTICATED');
    expect(events).toHaveLength(1);
  });

  it('when a cached token is older than a newer one for the same user, then the lookup alone makes it authorized', async () => {
    const { useCase } = setUp();
    await useCase.execute('older', { checkRevoked: false });
    await useCase.execute('newer', { checkRevoked: false });

    expect((await useCase.execute('older', { checkRevoked: false })).level).toBe('AUTH_LEVEL_AUTHORIZED');
  });

  it('when an older token follows a newer one for the same user, then it is only authorized', async () => {
    const { useCase } = setUp();

    await useCase.execute('newer', { checkRevoked: false });

    expect((await useCase.execute('older', { checkRevoked: false })).level).toBe('AUTH_LEVEL_AUTHORIZED');
  });

  it('when the session state store is down, then the level is capped at authorized', async () => {
    const { useCase, events } = setUp({ sessionState: failingState });

    const session = await useCase.execute('tok', { checkRevoked: false });
    await useCase.announcementsSettled();

    expect(session.level).toBe('AUTH_LEVEL_AUTHORIZED');
    expect(events).toEqual([]);
  });

  it('when a new auth_time is seen, then one signed-in event is published', async () => {
    const { useCase, events } = setUp();

    await useCase.execute('tok', { checkRevoked: false });
    await useCase.execute('tok', { checkRevoked: true });
    await useCase.announcementsSettled();
    await useCase.execute('other-token-same-sign-in', { checkRevoked: false });
    await useCase.announcementsSettled();

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: signInEventId('uid-1', T0),
      type: 'testbed.user.signed_in',
      subject: 'uid-1',
      time: new Date(T0 * 1000).toISOString(),
      data: { uid: 'uid-1', method: 'password' },
    });
  });

  it('when many verifications of one sign-in race, then it is announced once', async () => {
    const { useCase, events } = setUp();

    await Promise.all(Array.from({ length: 10 }, () => useCase.execute('tok', { checkRevoked: false })));
    await useCase.announcementsSettled();

    expect(events).toHaveLength(1);
  });

  it('when publishing fails, then the caller still gets the session and a later verification announces it', async () => {
    let brokerDown = true;
    const { useCase, events } = setUp({ failPublish: () => brokerDown });

    await expect(useCase.execute('tok', { checkRevoked: false })).resolves.toMatchObject({ level: 'AUTH_LEVEL_AUTHENTICATED' });
    await useCase.announcementsSettled();
    expect(events).toEqual([]);

    brokerDown = false;
    await useCase.execute('tok', { checkRevoked: false });
    await useCase.announcementsSettled();
    await useCase.execute('tok', { checkRevoked: false });
    await useCase.announcementsSettled();
    expect(events.map((e) => e.id)).toEqual([signInEventId('uid-1', T0)]);
  });

  it('when a cached entry outlives the token, then it is not used', async () => {
    const { useCase, verified, advance } = setUp();
    await useCase.execute('tok', { checkRevoked: false });

    // The memory cache keeps its own (real) clock, so only the use case's clock moves here.
    advance(3_601);
    await useCase.execute('tok', { checkRevoked: false });

    expect(verified).toHaveLength(2);
  });

  it('when the token is longer than any ID token, then it is an invalid argument and nothing is verified', async () => {
    const { useCase, verified } = setUp();

    await expect(useCase.execute('x'.repeat(MAX_ID_TOKEN_LENGTH + 1), { checkRevoked: false })).rejects.toMatchObject({
      kind: 'invalid-argument',
    });
    expect(verified).toEqual([]);
  });

  it('when a token claims times beyond the clock skew, then it is refused and moves no record', async () => {
    const cache = new MemoryVerificationCache(new MemorySessionStateStore());
    const { useCase, events } = setUp({ cache });

    await expect(useCase.execute('future', { checkRevoked: false })).rejects.toMatchObject({ kind: 'unauthenticated' });
    await useCase.announcementsSettled();

    await expect(cache.lookup(hashToken('future'))).resolves.toBeUndefined();
    expect(events).toEqual([]);
    // Had its iat been recorded as the newest, this token of the current sign-in would be authorized.
    expect((await useCase.execute('tok', { checkRevoked: false })).level).toBe('AUTH_LEVEL_AUTHENTICATED');
  });

  it('when the stores hang, then the token is verified without them and capped at authorized', async () => {
    const { useCase, verified, cacheResults } = setUp({ cache: hangingCache, sessionState: hangingState, storeBudgetMs: 50 });

    const session = await useCase.execute('tok', { checkRevoked: false, deadlineMs: Date.now() + 2_000 });

    expect(session).toMatchObject({ uid: 'uid-1', level: 'AUTH_LEVEL_AUTHORIZED' });
    expect(verified).toHaveLength(1);
    // The read ran out of budget; the writes were not even tried.
    expect(cacheResults).toEqual(['error']);
  });

  it("when the caller has a deadline, then the verifier's timeout ends before it", async () => {
    const { useCase, timeouts } = setUp();

    await useCase.execute('tok', { checkRevoked: true, deadlineMs: Date.now() + 500 });

    expect(timeouts[0]).toBeLessThan(500);
    expect(timeouts[0]).toBeGreaterThan(0);
  });

  it("when the caller's deadline has already passed, then it is deadline-exceeded without asking Firebase", async () => {
    const { useCase, verified } = setUp();

    await expect(useCase.execute('tok', { checkRevoked: true, deadlineMs: Date.now() - 1 })).rejects.toMatchObject({ kind: 'deadline-exceeded' });
    expect(verified).toEqual([]);
  });

  // Found by the fuzz suite: a 100 ms grpc-timeout (shorter than the response margin) got UNAVAILABLE.
  it("when the caller's deadline is shorter than the response margin, then it is deadline-exceeded without asking Firebase", async () => {
    const { useCase, verified } = setUp();

    await expect(useCase.execute('tok', { checkRevoked: true, deadlineMs: Date.now() + 100 })).rejects.toMatchObject({
      kind: 'deadline-exceeded',
    });
    expect(verified).toEqual([]);
  });

  it("when Firebase is still verifying as the caller's deadline nears, then it stays unavailable (retryable)", async () => {
    const { useCase } = setUp();

    await expect(useCase.execute('slow', { checkRevoked: true, deadlineMs: Date.now() + 600 })).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });

  it("when Firebase is slower than its own timeout, well within the caller's deadline, then it stays unavailable", async () => {
    const { useCase } = setUp();

    await expect(useCase.execute('slow', { checkRevoked: true, deadlineMs: Date.now() + 60_000 })).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });
});
